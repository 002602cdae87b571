/** A client of one mock source: its data routes and admin API, as the gateway's tests would drive them. */

export type StatsBody = { requests: number; inFlight: number; byOutcome: Record<string, number> };

/** `PUT /_admin/behaviour`; fails the test unless the source accepts the change. */
export async function setBehaviour(url: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/_admin/behaviour`, { method: 'PUT', body: JSON.stringify(patch) });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200)
    throw new Error(`PUT /_admin/behaviour answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** `DELETE /_admin/behaviour` and `DELETE /_admin/stats`: a clean start for the next test. */
export async function resetSource(url: string): Promise<void> {
  for (const path of ['/_admin/behaviour', '/_admin/stats']) {
    const response = await fetch(`${url}${path}`, { method: 'DELETE' });
    await response.arrayBuffer();
  }
}

export async function getStats(url: string): Promise<StatsBody> {
  return (await (await fetch(`${url}/_admin/stats`)).json()) as StatsBody;
}

/** Polls the stats until `predicate` holds, or fails after `timeoutMs`. */
export async function waitForStats(
  url: string,
  predicate: (stats: StatsBody) => boolean,
  timeoutMs = 2_000,
): Promise<StatsBody> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const stats = await getStats(url);
    if (predicate(stats)) return stats;
    if (performance.now() > deadline) throw new Error(`stats never matched: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** GETs `path` and reads the whole body as text. */
export async function getText(url: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}
