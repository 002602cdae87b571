/** k6 duration strings ("90s", "1m30s", "2h", "500ms") as seconds, and back. */

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/;

/** Seconds in a k6 duration string, or undefined when it is not one. "0s" is 0. */
export function parseDurationS(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let seconds = 0;
  const part = new RegExp(PART.source, 'g');
  for (let match = part.exec(text); match !== null; match = part.exec(text)) {
    seconds += Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? NaN);
  }
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** A k6 duration string for whole seconds (rounded): 90 → "1m30s", 3600 → "1h0m0s". */
export function formatDurationS(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
