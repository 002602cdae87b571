export { startService, type RunningService } from './service-process.ts';
export { readMetric } from './read-metric.ts';
export { watchLoopStalls } from './loop-stall.ts';
export { serveOnLoopback, type ServedApp } from './serve-on-loopback.ts';
