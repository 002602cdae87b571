import type { BenchRunContext } from './bench-context.ts';
import type { GatewayResults } from './gateway-results.ts';
import { checkGatewayTargets } from './gateway-targets.ts';
import { measureGateway } from './suites/gateway.ts';

/** The gateway against its floor, with the targets checked (unless the profile says not to). */
export async function runGatewayBench(run: BenchRunContext): Promise<GatewayResults> {
  const startedAt = performance.now();
  const measured = await measureGateway(run);
  return {
    kind: 'gateway',
    command: run.command,
    profile: run.profile.name,
    machine: run.machine,
    layout: run.layout.description,
    durationS: (performance.now() - startedAt) / 1000,
    ...measured,
    targets: checkGatewayTargets(measured, run.profile.checkTargets),
  };
}
