import type { Deadline } from './deadline.ts';

/** What every outbound call of a request carries. */
export type CallContext = {
  deadline: Deadline;
  /** Headers to propagate: request id, trace context. The remaining deadline is added per attempt. */
  headers: Record<string, string>;
};

/**
 * A source of one entity's raw feature data: the extension point for sources written in code. `fetch` resolves
 * with a JSON-like object, or rejects with an `UpstreamError` (use `createDependency` to guard it). An optional
 * source that fails contributes `defaults` and marks the answer degraded; a required one fails the request.
 */
export type FeatureSource = {
  readonly name: string;
  readonly required: boolean;
  readonly defaults: Record<string, unknown>;
  fetch(entityId: string, context: CallContext): Promise<Record<string, unknown>>;
};
