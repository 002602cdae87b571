/** An injected failure: `status` with a JSON body naming why, and `Retry-After` when asked for. */
export function injectedErrorAnswer(status: number, retryAfterS: number | null, reason: string): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfterS !== null) headers['retry-after'] = String(retryAfterS);
  return new Response(JSON.stringify({ error: `injected failure (${reason})` }), { status, headers });
}
