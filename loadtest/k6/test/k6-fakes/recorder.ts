/**
 * What the fake k6 modules saw, for assertions: metrics created and their samples, checks, requests; and how the
 * fake `http.request` answers. Tests reset it between runs.
 */
export type Tags = Record<string, string> | undefined;
export type FakeResponse = { status: number; headers: Record<string, string>; body: string | ArrayBuffer | null };
export type RecordedRequest = {
  method: string;
  url: string;
  body: unknown;
  params: { headers?: Record<string, string>; tags?: Record<string, string>; responseType?: string; timeout?: unknown };
};

export const recorder = {
  metrics: new Map<string, { type: string; samples: { value: number | boolean; tags: Tags }[] }>(),
  checks: [] as { name: string; passed: boolean; tags: Tags }[],
  requests: [] as RecordedRequest[],
  elapsedMs: 0,
  respond: (_request: RecordedRequest): FakeResponse => ({ status: 500, headers: {}, body: null }),
  reset(): void {
    this.metrics.clear();
    this.checks.length = 0;
    this.requests.length = 0;
    this.elapsedMs = 0;
  },
  /** Samples of one metric, optionally only those whose value is truthy. */
  samples(name: string): { value: number | boolean; tags: Tags }[] {
    return this.metrics.get(name)?.samples ?? [];
  },
};
