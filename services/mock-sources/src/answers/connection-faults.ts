import type { ServerResponse } from 'node:http';

/** Destroys the connection with a TCP reset and sends nothing: the client sees ECONNRESET. */
export function resetConnection(outgoing: ServerResponse): void {
  outgoing.socket?.resetAndDestroy();
}

/**
 * Sends 200 with the real `Content-Length` of `json` but only its first half, then closes the connection, so the
 * client's body read fails part-way.
 */
export function sendTruncated(outgoing: ServerResponse, json: string): void {
  const bytes = Buffer.from(json);
  outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
  // Close only once the half has reached the socket, so the client really receives a partial body.
  outgoing.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => outgoing.destroy());
}
