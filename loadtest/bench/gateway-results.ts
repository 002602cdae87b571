import type { Machine } from './machine.ts';
import type { TargetCheck } from './scorer-targets.ts';
import type { GatewayMeasurements } from './suites/gateway.ts';

/** Everything one `pnpm bench` run measured about the gateway: the content of `loadtest/results/gateway.json`. */
export type GatewayResults = GatewayMeasurements & {
  kind: 'gateway';
  /** The command that produced these figures, as a reader would type it. */
  command: string;
  profile: 'full' | 'quick';
  machine: Machine;
  /** Which process ran on which CPUs. */
  layout: string;
  durationS: number;
  targets: TargetCheck[];
};
