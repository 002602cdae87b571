export { startService, type RunningService } from './service-process.ts';
