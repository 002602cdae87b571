import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Runs k6 scripts under Node for tests: `k6`, `k6/http`, `k6/metrics` and `k6/execution` resolve to the fakes in
 * k6-fakes/ (any other k6 module is an error, so a script cannot start using one unnoticed), and `__ENV` is the
 * given environment, recording every variable the script reads.
 */
const FAKES: Record<string, string> = {
  k6: 'k6.ts',
  'k6/http': 'k6-http.ts',
  'k6/metrics': 'k6-metrics.ts',
  'k6/execution': 'k6-execution.ts',
};

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'k6' || specifier.startsWith('k6/')) {
      const fake = FAKES[specifier];
      if (fake === undefined) throw new Error(`no fake for the k6 module '${specifier}': add one to k6-fakes/`);
      return { url: new URL(`k6-fakes/${fake}`, import.meta.url).href, shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});

export type LoadedScript = {
  options: { scenarios?: Record<string, Record<string, unknown>>; thresholds?: Record<string, unknown[]> };
  default: () => void;
  handleSummary: (data: unknown) => Record<string, string>;
  /** Every environment variable the script read at init. */
  envRead: string[];
};

let fresh = 0;

/** Imports `file` (a k6 entry script) as k6 would initialise it, with `env` as its environment. */
export async function loadK6Script(file: string, env: Record<string, string> = {}): Promise<LoadedScript> {
  const envRead: string[] = [];
  (globalThis as { __ENV?: unknown }).__ENV = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string' && !envRead.includes(name)) envRead.push(name);
      return target[name as string];
    },
  });
  // A fresh module instance each time: k6 initialises every VU's copy of the script anew.
  const module = (await import(`${pathToFileURL(file).href}?instance=${fresh++}`)) as Omit<LoadedScript, 'envRead'>;
  return { ...module, envRead };
}
