/**
 * Writes one JSON log line in the shape Cloud Logging reads (`severity`, `message`, `time`, then `fields`). The
 * mock logs only its lifecycle, so a logging library would be more than it needs.
 */
export function writeLogLine(
  stream: NodeJS.WritableStream,
  severity: 'INFO' | 'ERROR',
  message: string,
  fields: Record<string, unknown> = {},
): void {
  stream.write(`${JSON.stringify({ severity, message, time: new Date().toISOString(), ...fields })}\n`);
}
