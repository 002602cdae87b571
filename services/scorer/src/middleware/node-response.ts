import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * Node's response for this request, to set headers on straight away (Node merges them into whatever the handler
 * answers), or `undefined` outside @hono/node-server (`app.request()` in tests). A header set through Hono instead
 * makes the response build, and then copy out, a Web `Headers` object, off @hono/node-server's fast path for plain
 * header records.
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  return (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
}

/** Sets a response header on Node's response when there is one, else through Hono. */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeResponse(c);
  if (outgoing !== undefined) outgoing.setHeader(name, value);
  else c.header(name, value);
}
