import { recorder, type Tags } from './recorder.ts';

export function check<T>(value: T, sets: Record<string, (value: T) => boolean>, tags?: Tags): boolean {
  let all = true;
  for (const [name, predicate] of Object.entries(sets)) {
    const passed = predicate(value);
    recorder.checks.push({ name, passed, tags });
    all &&= passed;
  }
  return all;
}

export function sleep(_seconds: number): void {}

export function fail(message?: string): never {
  throw new Error(message);
}
