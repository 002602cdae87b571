/**
 * What a run sends, one request per iteration: the gateway's single or batch route, or the scorer's `/infer` with
 * JSON or Triton binary tensors. Each target is one `route` tag value, which thresholds and the summary key on.
 */
export const TARGETS = ['gateway', 'gateway-batch', 'scorer', 'scorer-binary'] as const;
export type Target = (typeof TARGETS)[number];

export type TargetInfo = Readonly<{
  service: 'gateway' | 'scorer';
  /** The `route` tag of its requests. */
  route: string;
  /** How the README and the summary name it. */
  description: string;
  defaultBaseUrl: string;
}>;

const GATEWAY_URL = 'http://127.0.0.1:8080';
const SCORER_URL = 'http://127.0.0.1:8081';

export const TARGET_INFO: Readonly<Record<Target, TargetInfo>> = {
  gateway: { service: 'gateway', route: 'score', description: 'POST /v1/score', defaultBaseUrl: GATEWAY_URL },
  'gateway-batch': {
    service: 'gateway',
    route: 'score-batch',
    description: 'POST /v1/score/batch',
    defaultBaseUrl: GATEWAY_URL,
  },
  scorer: {
    service: 'scorer',
    route: 'infer-json',
    description: 'POST /v2/models/{model}/infer (JSON tensors)',
    defaultBaseUrl: SCORER_URL,
  },
  'scorer-binary': {
    service: 'scorer',
    route: 'infer-binary',
    description: 'POST /v2/models/{model}/infer (Triton binary tensors)',
    defaultBaseUrl: SCORER_URL,
  },
};

export function inferPath(model: string): string {
  return `/v2/models/${encodeURIComponent(model)}/infer`;
}
