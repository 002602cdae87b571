/**
 * HTTP header names both services agree on. Lower-case, as Node and Hono hand them to handlers.
 */
export const HEADER = {
  /** Correlates every log line and every downstream call of one request; reused when the caller sends one. */
  requestId: 'x-request-id',
  /**
   * The milliseconds the caller still allows for this request (a positive integer). Each hop sends the time it has
   * left, so one deadline bounds the whole call tree.
   */
  requestTimeoutMs: 'x-request-timeout-ms',
  /** Triton's binary tensor extension: byte length of the JSON header that starts the body. */
  inferenceHeaderContentLength: 'inference-header-content-length',
  /** Seconds a client should wait before retrying a 503. */
  retryAfter: 'retry-after',
} as const;

/** Content type of a binary-extension inference body (JSON header followed by raw tensor bytes). */
export const BINARY_INFERENCE_CONTENT_TYPE = 'application/octet-stream';
