import { request } from 'undici';
import type { AuthHeaders } from './scorer-client.ts';

/** Refresh this long before a token expires, so no request carries one that lapses in flight. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Google ID tokens for `audience` (the scorer's URL) from the Cloud Run / GCE metadata server, as
 * `Authorization: Bearer` headers. A token is cached until shortly before it expires; concurrent callers share one
 * fetch. `metadataHost` defaults to `metadata.google.internal` (tests point it at a fake on 127.0.0.1).
 */
export function googleIdTokenAuth(options: { audience: string; metadataHost: string }): AuthHeaders {
  const url =
    `http://${options.metadataHost}/computeMetadata/v1/instance/service-accounts/default/identity` +
    `?audience=${encodeURIComponent(options.audience)}&format=full`;
  let cached: { header: Record<string, string>; refreshAt: number } | undefined;
  let inFlight: Promise<Record<string, string>> | undefined;

  const fetchToken = async (signal: AbortSignal) => {
    const response = await request(url, { headers: { 'metadata-flavor': 'Google' }, signal });
    const token = (await response.body.text()).trim();
    if (response.statusCode !== 200 || token === '') {
      throw new Error(`the metadata server answered ${response.statusCode} for an ID token`);
    }
    const header = { authorization: `Bearer ${token}` };
    cached = { header, refreshAt: expiryMs(token) - REFRESH_BEFORE_EXPIRY_MS };
    return header;
  };

  return (signal) => {
    if (cached !== undefined && Date.now() < cached.refreshAt) return Promise.resolve(cached.header);
    inFlight ??= fetchToken(signal).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/** The `exp` claim of a JWT in milliseconds; a token without one is refreshed after a minute past the margin. */
function expiryMs(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    if (typeof payload.exp === 'number') return payload.exp * 1000;
  } catch {
    // fall through: an unreadable token is simply refreshed soon
  }
  return Date.now() + REFRESH_BEFORE_EXPIRY_MS + 60_000;
}
