// Labelled JSON on purpose: a proxy's error page passed through as-is, which clients must not trust.
const GARBAGE_BODY = '<html><body><h1>502 Bad Gateway</h1></body></html>\n';

/** 200 with `Content-Type: application/json` and a body that is not JSON. */
export function garbageAnswer(): Response {
  return new Response(GARBAGE_BODY, { status: 200, headers: { 'content-type': 'application/json' } });
}
