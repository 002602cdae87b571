import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** The body was larger than allowed. The caller renders its own 413 (and should close the connection). */
export class BodyTooLargeError extends Error {
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`the body is larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
    this.maxBytes = maxBytes;
  }
}

/**
 * Reads a request body of at most `maxBytes`, straight from Node's IncomingMessage when the app runs on
 * @hono/node-server: building a web `Request` and its stream for every call costs more CPU than the whole rest of a
 * small inference. Refuses at once when `Content-Length` is over the limit, and stops reading as soon as the bytes
 * received pass it. Falls back to the web API when there is no IncomingMessage (in-process `app.request()`).
 */
export async function readBody(c: Context, maxBytes: number): Promise<Buffer> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  // Node's parsed headers when there are some: the first c.req.header() on @hono/node-server builds a web Headers
  // object from every raw header.
  const declared = Number(incoming === undefined ? c.req.header('content-length') : incoming.headers['content-length']);
  if (declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (incoming === undefined) {
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.byteLength > maxBytes) throw new BodyTooLargeError(maxBytes);
    return body;
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received > maxBytes) {
        // Stop reading but keep the socket, so that the 413 can still be written (with Connection: close).
        cleanup();
        incoming.pause();
        reject(new BodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => onError(new Error('the client went away before sending the whole body'));
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}
