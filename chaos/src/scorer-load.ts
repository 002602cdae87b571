import { Pool } from 'undici';
import type { LoadRequest } from './open-loop.ts';

/** `POST /v2/models/{model}/infer` with one JSON row of 64 features (the interests models' input). */
export function inferRequest(model: string): (index: number) => LoadRequest {
  return (index) => ({
    method: 'POST',
    path: `/v2/models/${model}/infer`,
    body: JSON.stringify({
      inputs: [
        {
          name: 'features',
          shape: [1, 64],
          datatype: 'FP32',
          data: Array.from({ length: 64 }, (_, i) => ((i + index) % 7) / 7),
        },
      ],
    }),
  });
}

/**
 * Measures what a server completes per second with `clients` requests always outstanding (closed loop) for
 * `durationMs`: its capacity for that request, on this machine, now. Failed answers do not count.
 */
export async function measureCapacity(
  origin: string,
  request: (index: number) => LoadRequest,
  options: { clients: number; durationMs: number },
): Promise<number> {
  const pool = new Pool(origin, { connections: options.clients });
  let completed = 0;
  let index = 0;
  const stopAt = performance.now() + options.durationMs;
  const client = async () => {
    while (performance.now() < stopAt) {
      const spec = request(index++);
      const response = await pool.request({
        method: spec.method,
        path: spec.path,
        headers: { 'content-type': 'application/json' },
        ...(spec.body !== undefined && { body: spec.body }),
      });
      await response.body.arrayBuffer();
      if (response.statusCode === 200) completed++;
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: options.clients }, client));
  } finally {
    await pool.close();
  }
  return (completed * 1000) / (performance.now() - started);
}
