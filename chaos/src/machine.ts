import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, type } from 'node:os';

/** The machine a run measured, printed beside its figures. */
export type Machine = { cpuModel: string; cores: number; node: string; os: string; date: string };

export function describeMachine(): Machine {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    os: `${type()} ${release()}`,
    date: new Date().toISOString(),
  };
}

/** The one-minute load average: how busy the (shared) machine was, other work included. */
export function loadAverage(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

/**
 * Microseconds during which some task waited for a CPU since boot (Linux pressure stall information), or undefined
 * where /proc/pressure is unavailable. Over a window, its increase divided by the window's length is the share of
 * time the machine was CPU-starved: the measure of outside load that a timing figure should be read against.
 */
export function cpuPressureUs(): number | undefined {
  try {
    const match = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}
