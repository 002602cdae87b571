// Where the capacity plan's measured costs come from: the committed results of `pnpm bench`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CapacityInputs } from './capacity-plan.ts';
import type { ComparisonResults } from './comparison-bench.ts';
import type { GatewayResults } from './gateway-results.ts';
import { DEMO_REPOSITORY } from './model-fixtures.ts';
import type { ScorerResults } from './scorer-results.ts';

const REFERENCE_MODEL = 'interests-heavy';

/** The results a plan is computed from (`comparison` only adds the gateway's measured memory). */
export type PlanSources = { scorer: ScorerResults; gateway: GatewayResults; comparison?: ComparisonResults };

/** Reads scorer.json, gateway.json and (if present) comparison.json from `resultsDir`. */
export async function readPlanSources(resultsDir: string): Promise<PlanSources> {
  const read = async <T>(name: string): Promise<T> =>
    JSON.parse(await readFile(path.join(resultsDir, name), 'utf8')) as T;
  const comparison = await read<ComparisonResults>('comparison.json').catch((error: unknown) => {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  });
  return {
    scorer: await read<ScorerResults>('scorer.json'),
    gateway: await read<GatewayResults>('gateway.json'),
    ...(comparison && { comparison }),
  };
}

/**
 * The measured costs: gateway CPU per `/v1/score` at the highest open-loop rate it served without a failure or a
 * drop; the scorer's CPU per binary single-row request beyond raw onnxruntime's run (interests, whose own run is
 * tiny); the scorer's base RSS and per-session RSS of interests-heavy from the cold-start figures; the gateway's
 * RSS after the comparison's last window (128 MiB when not measured); interests-heavy's maxBatchSize from its
 * config.json. Throws when a figure is missing.
 */
export async function capacityInputs(sources: PlanSources): Promise<CapacityInputs> {
  const { scorer, gateway, comparison } = sources;
  const clean = gateway.openLoop.filter((point) => point.gateway.failures === 0 && point.gateway.dropped === 0);
  const busiest = clean.sort((a, b) => b.ratePerSecond - a.ratePerSecond)[0];
  if (busiest === undefined) throw new Error('gateway.json has no open-loop rate served without failures');
  const interests = scorer.sequential.models.find((m) => m.model === 'interests');
  const binary = interests?.scorer.binary;
  if (interests === undefined || binary === undefined) throw new Error('scorer.json has no binary interests figure');
  const heavyRss = scorer.coldStart.perModel.find((m) => m.model === REFERENCE_MODEL)?.rssMiB;
  if (heavyRss === undefined) throw new Error(`scorer.json has no RSS for ${REFERENCE_MODEL}`);
  const saturated = scorer.liveness.variants.find((v) => v.variant === 'default') ?? scorer.liveness.variants[0];
  if (saturated === undefined) throw new Error('scorer.json has no saturated interests-heavy run');
  const config = JSON.parse(await readFile(path.join(DEMO_REPOSITORY, REFERENCE_MODEL, 'config.json'), 'utf8')) as {
    maxBatchSize: number;
  };
  const gatewayRss = comparison?.upstreams.map((u) => u.rssMiB?.gateway ?? Number.NaN).filter(Number.isFinite);
  return {
    gatewayCpuPerRequestMs: busiest.gateway.cpuPerRequestUs.totalUs / 1000,
    scorerOverheadPerRequestMs: (binary.cpuPerRequestUs.totalUs - interests.raw.cpuPerRunUs) / 1000,
    scorerBaseRssMiB: scorer.coldStart.baseRssMiB,
    scorerRssPerSessionMiB: heavyRss / scorer.coldStart.instances,
    gatewayRssMiB: gatewayRss !== undefined && gatewayRss.length > 0 ? Math.max(...gatewayRss) : 128,
    maxBatchSize: config.maxBatchSize,
    batchedCpuPerRowMs: ((saturated.workerCores + saturated.mainCores) / saturated.loadRowsPerSecond) * 1000,
    batchedMeanRows: saturated.batches.rows / Math.max(1, saturated.batches.runs),
  };
}
