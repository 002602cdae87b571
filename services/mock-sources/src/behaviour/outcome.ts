/**
 * What the source did with one data request, as counted in `GET /_admin/stats`: `ok` (data), `not-found`
 * (`missing-*` id), `bad-request` (malformed id), `error` (injected errorStatus), or the failure mode it played.
 */
export const OUTCOMES = [
  'ok',
  'not-found',
  'bad-request',
  'error',
  'hang',
  'reset',
  'garbage',
  'wrong-shape',
  'slow-body',
  'truncated',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
