import { pino, type DestinationStream, type Logger } from 'pino';

const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/**
 * One-line JSON logs in the shape Cloud Logging reads: `severity`, `message`, `time`, plus whatever fields a call
 * adds (`requestId`, `logging.googleapis.com/trace`).
 */
export function createLogger(options: { level: string; service: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      messageKey: 'message',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ severity: SEVERITY[label] ?? 'DEFAULT' }),
      },
    },
    options.destination,
  );
}

/**
 * Cloud Logging's trace field for a request, from W3C `traceparent` or `X-Cloud-Trace-Context`, when the project
 * is known. Lets Cloud Logging group a request's lines with its trace.
 */
export function traceField(
  headers: { traceparent: string | undefined; cloudTraceContext: string | undefined },
  projectId: string | undefined,
): Record<string, string> {
  if (projectId === undefined) return {};
  const traceId =
    /^[0-9a-f]{2}-([0-9a-f]{32})-/.exec(headers.traceparent ?? '')?.[1] ??
    /^([0-9a-f]{32})(\/|$)/i.exec(headers.cloudTraceContext ?? '')?.[1];
  return traceId === undefined ? {} : { 'logging.googleapis.com/trace': `projects/${projectId}/traces/${traceId}` };
}
