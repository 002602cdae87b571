import { parseDurationS } from './durations.ts';

/** The process environment as k6 hands it to scripts (`__ENV`), or any record in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A duration as k6 wants it in options and as seconds for arithmetic. */
export type Duration = Readonly<{ text: string; seconds: number }>;

/**
 * Typed, validated reads of environment variables. An empty value counts as unset. Every bad value throws an
 * Error naming the variable, so a misconfigured run stops in k6's init phase before sending anything.
 */
export type EnvReader = {
  string(name: string, fallback: string): string;
  optionalString(name: string): string | undefined;
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  integer(name: string, fallback: number, min: number, max: number): number;
  optionalInteger(name: string, min: number, max: number): number | undefined;
  /** A share between 0 and 1. */
  fraction(name: string, fallback: number): number;
  boolean(name: string, fallback: boolean): boolean;
  /** A k6 duration ("30s", "2m", "1h30m") between `minS` and `maxS` seconds. */
  duration(name: string, fallback: string, minS?: number, maxS?: number): Duration;
};

export function createEnvReader(env: Environment): EnvReader {
  const raw = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const bad = (name: string, value: string, expected: string) =>
    new Error(`invalid load-test configuration: ${name}=${JSON.stringify(value)}: expected ${expected}`);
  const integerOf = (name: string, text: string, min: number, max: number) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) throw bad(name, text, `an integer in [${min}, ${max}]`);
    return value;
  };

  return {
    string: (name, fallback) => raw(name) ?? fallback,
    optionalString: (name) => raw(name),
    oneOf(name, allowed, fallback) {
      const text = raw(name);
      if (text === undefined) return fallback;
      const found = allowed.find((value) => value === text);
      if (found === undefined) throw bad(name, text, `one of ${allowed.join(', ')}`);
      return found;
    },
    integer(name, fallback, min, max) {
      const text = raw(name);
      return text === undefined ? fallback : integerOf(name, text, min, max);
    },
    optionalInteger(name, min, max) {
      const text = raw(name);
      return text === undefined ? undefined : integerOf(name, text, min, max);
    },
    fraction(name, fallback) {
      const text = raw(name);
      if (text === undefined) return fallback;
      const value = Number(text);
      if (!/^\d*\.?\d+$/.test(text) || value > 1) throw bad(name, text, 'a number between 0 and 1');
      return value;
    },
    boolean(name, fallback) {
      const text = raw(name);
      if (text === undefined) return fallback;
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw bad(name, text, 'true or false');
    },
    duration(name, fallback, minS = 0, maxS = Infinity) {
      const text = raw(name) ?? fallback;
      const seconds = parseDurationS(text);
      if (seconds === undefined || seconds < minS || seconds > maxS) {
        const bounds = `${minS > 0 ? `, at least ${minS}s` : ''}${maxS < Infinity ? `, at most ${maxS}s` : ''}`;
        throw bad(name, text, `a k6 duration such as 30s, 2m or 1h30m${bounds}`);
      }
      return { text, seconds };
    },
  };
}
