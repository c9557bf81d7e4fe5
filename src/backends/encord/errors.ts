/**
 * Encord's failures as BackendError codes `encord/<kind>`: v2 HTTP statuses
 * (encord/http/v2/error_utils.py) and v1 envelope codes (encord/http/error_utils.py), §2f.
 */
import { BackendError } from '../backend.js';

/** A failed call to Encord: the HTTP status (0 for none), and whether it may have taken effect. */
export class EncordApiError extends BackendError {
  constructor(
    code: string,
    message: string,
    readonly status: number,
    /** True when the request was sent but no answer came back: the server may have acted on it. */
    readonly ambiguous = false,
    hint?: string,
  ) {
    super(code, message, hint);
    this.name = 'EncordApiError';
  }
}

const V2_KINDS: Record<number, string> = {
  400: 'invalid-arguments',
  401: 'authentication',
  403: 'authorisation',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  429: 'rate-limited',
};

const HINTS: Record<string, string> = {
  authentication:
    'Encord did not accept the credentials: check that the public key of ENCORD_SSH_KEY_FILE is registered in Encord (Settings → Public keys), or that ENCORD_BEARER_TOKEN is current.',
  authorisation: 'The key is valid but its user cannot access this project: ask a project admin to add the user.',
  'ssh-key-not-found': 'Register the public key of this private key in Encord (Settings → Public keys).',
  'rate-limited': 'Lower the request rate with --rate, or retry later.',
};

/** `encord/<kind>` for a v2 status. Pure. */
export function resolveV2ErrorCode(status: number): string {
  return `encord/${V2_KINDS[status] ?? (status >= 500 ? 'server-error' : 'unknown')}`;
}

/** `MULTI_LABEL_LIMIT_ERROR` → `encord/multi-label-limit`. Pure. */
export function resolveV1ErrorCode(code: string): string {
  const kind = code
    .replace(/_ERROR$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `encord/${kind || 'unknown'}`;
}

function hintFor(code: string): string | undefined {
  return HINTS[code.slice('encord/'.length)];
}

/** Reads `message`, else `detail`, from a v2 error body; never more than a line of it. */
export function resolveV2ErrorMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['message', 'detail']) {
      const value = record[key];
      if (typeof value === 'string' && value !== '') return truncate(value);
      if (value !== undefined && value !== null) return truncate(JSON.stringify(value));
    }
  }
  return fallback;
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function createV2Error(endpoint: string, status: number, body: unknown, ambiguous = false): EncordApiError {
  const code = resolveV2ErrorCode(status);
  const message = resolveV2ErrorMessage(body, `HTTP ${status}`);
  return new EncordApiError(code, `${endpoint}: ${message}`, status, ambiguous, hintFor(code));
}

/** The error in a v1 envelope `{status, response: ["CODE"], payload}`. */
export function createV1Error(endpoint: string, status: number, response: unknown, payload: unknown): EncordApiError {
  const first = Array.isArray(response) ? response[0] : response;
  const codeText = typeof first === 'string' ? first : 'UNKNOWN_ERROR';
  const code = resolveV1ErrorCode(codeText);
  const detail = typeof payload === 'string' ? payload : payload ? JSON.stringify(payload) : '';
  const message = `${endpoint}: ${codeText}${detail ? ` (${truncate(detail)})` : ''}`;
  return new EncordApiError(code, message, status, false, hintFor(code));
}
