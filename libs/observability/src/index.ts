export { createLogger, traceField } from './logger.ts';
export type { Logger } from 'pino';
