import type { Dispatcher } from 'undici';
import type { Dependency } from './dependency.ts';
import type { FeatureSource } from './feature-source.ts';
import { parseJsonObject, sendRequest } from './http-json.ts';
import { SingleFlight } from './single-flight.ts';

export type HttpSourceOptions = {
  name: string;
  required: boolean;
  defaults: Record<string, unknown>;
  /** Path template; `{entityId}` is the only placeholder and is URL-encoded. The origin is fixed by the pool. */
  path: string;
  dispatcher: Dispatcher;
  dependency: Dependency;
  onCoalesced?: () => void;
};

/**
 * A feature source that GETs JSON from a fixed origin. Idempotent, so its calls may be hedged; concurrent fetches
 * of the same entity share one upstream call.
 */
export function createHttpSource(options: HttpSourceOptions): FeatureSource {
  const flights = new SingleFlight<Record<string, unknown>>({
    ...(options.onCoalesced && { onJoin: options.onCoalesced }),
  });
  const [before, after] = splitTemplate(options.path);
  return {
    name: options.name,
    required: options.required,
    defaults: options.defaults,
    fetch(entityId, context) {
      const path = after === undefined ? before : `${before}${encodeURIComponent(entityId)}${after}`;
      return flights.run(entityId, context.deadline, (deadline) =>
        options.dependency.call(
          async (signal) => {
            const response = await sendRequest(
              options.dispatcher,
              options.name,
              { method: 'GET', path, headers: { accept: 'application/json', ...context.headers } },
              deadline,
              signal,
            );
            return parseJsonObject(options.name, response.body);
          },
          deadline,
          { idempotent: true },
        ),
      );
    },
  };
}

function splitTemplate(path: string): [string, string | undefined] {
  const index = path.indexOf('{entityId}');
  return index === -1 ? [path, undefined] : [path.slice(0, index), path.slice(index + '{entityId}'.length)];
}
