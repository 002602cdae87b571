import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** What @hono/node-server hands the app as `c.env`; absent when a test drives the app with `app.request()`. */
type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;

/**
 * A request header, as `c.req.header(name)` reads it (repeated fields joined with ", "), but from Node's own
 * parsed headers: on @hono/node-server the first `c.req.header()` builds a Web `Headers` object from every raw
 * header, a cost each request paid several times over. `name` is lower-case.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeBindings)?.incoming;
  if (incoming === undefined) return c.req.header(name);
  const values = incoming.headersDistinct[name];
  return values === undefined ? undefined : values.length === 1 ? values[0] : values.join(', ');
}

/**
 * Node's response for this request, to set headers on straight away (Node merges them into whatever the handler
 * answers), or `undefined` outside @hono/node-server. Headers set through Hono instead make every response build and
 * then copy a Web `Headers` object, and leave @hono/node-server's fast path for plain header records.
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  return (c.env as NodeBindings)?.outgoing;
}

/** Sets a response header on Node's response when there is one, else through Hono (`app.request()` in tests). */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeResponse(c);
  if (outgoing !== undefined) outgoing.setHeader(name, value);
  else c.header(name, value);
}
