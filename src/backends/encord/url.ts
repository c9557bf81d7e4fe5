/** The API origin (ENCORD_DOMAIN) and query strings as Encord's SDK writes them. Pure. */
import { BackendError } from '../backend.js';

export const DEFAULT_ENCORD_DOMAIN = 'https://api.encord.com';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The API origin from ENCORD_DOMAIN: https only, plain http only on loopback (tests). Throws `encord/bad-domain`. */
export function resolveEncordDomain(raw: string | undefined): string {
  const text = raw === undefined || raw.trim() === '' ? DEFAULT_ENCORD_DOMAIN : raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BackendError('encord/bad-domain', `ENCORD_DOMAIN is not a URL: ${text}`, 'e.g. https://api.us.encord.com');
  }
  const loopback = LOOPBACK.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new BackendError(
      'encord/bad-domain',
      `ENCORD_DOMAIN must use https (got ${url.protocol}//${url.host})`,
      'Plain http is only allowed for a local test server on 127.0.0.1, ::1 or localhost.',
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Percent-encodes like Python's urlencode (quote_plus), which is what Encord's SDK signs. */
export function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** `?a=1&b=x&b=y` with lists as repeated keys and undefined values left out; '' when empty. */
export function formatQuery(params: Record<string, string | readonly string[] | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) {
      parts.push(`${encodeQueryComponent(key)}=${encodeQueryComponent(item)}`);
    }
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
