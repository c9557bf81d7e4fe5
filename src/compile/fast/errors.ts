/**
 * Errors thrown by fast-path closures. They carry the same `code` (and, where jsonata sets them,
 * `position`, `token`, `value`, `index`) as the error jsonata would throw for the same input, so a
 * caller reports one code whichever evaluator ran.
 */

/** Message templates for the codes a fast-path closure can throw (jsonata 2.2.2 wording). */
const MESSAGES: Readonly<Record<string, string>> = {
  T0410: 'Argument {{index}} of function {{token}} does not match function signature',
  T0411: 'Context value is not a compatible type with argument {{index}} of function {{token}}',
  T0412: 'Argument {{index}} of function {{token}} must be an array of {{type}}',
  D1001: 'Number out of range: {{value}}',
  D1002: 'Cannot negate a non-numeric value: {{value}}',
  T1006: 'Attempted to invoke a non-function',
  T2001: 'The left side of the {{token}} operator must evaluate to a number',
  T2002: 'The right side of the {{token}} operator must evaluate to a number',
  T2009: 'The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type',
  T2010: 'The expressions either side of operator {{token}} must evaluate to numeric or string values',
  D3001: 'Attempting to invoke string function on Infinity or NaN',
  D3010: 'Second argument of replace function cannot be an empty string',
  D3011: 'Fourth argument of replace function must evaluate to a positive number',
  D3020: 'Third argument of split function must evaluate to a positive number',
  D3030: 'Unable to cast value to a number: {{value}}',
  D3060: 'The sqrt function cannot be applied to a negative number: {{value}}',
  D3061:
    'The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}',
  D3110: 'The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}',
};

export interface ErrorFields {
  position?: number;
  token?: string;
  value?: unknown;
  value2?: unknown;
  index?: number;
  type?: string;
  exp?: unknown;
}

/**
 * A JSONata-compatible runtime error. The message is rendered when read, because jsonata fills
 * `position` and `token` in on the way out (operators and function calls overwrite them) and
 * only then renders the template.
 */
export class JsonataError extends Error {
  readonly code: string;
  position?: number;
  token?: string;
  value?: unknown;
  value2?: unknown;
  index?: number;
  type?: string;
  exp?: unknown;

  constructor(code: string, fields: ErrorFields = {}) {
    super();
    this.code = code;
    Object.assign(this, fields);
  }

}

function renderMessage(this: JsonataError): string {
  const template = MESSAGES[this.code];
  if (template === undefined) return this.code;
  const fields = this as unknown as Record<string, unknown>;
  return template.replace(/\{\{([^}]+)}}/g, (_, name: string) => String(JSON.stringify(fields[name])));
}

// A prototype getter, not the own property Error would set: see the class comment.
Object.defineProperty(JsonataError.prototype, 'message', { get: renderMessage, configurable: true });
Object.defineProperty(JsonataError.prototype, 'name', { value: 'JsonataError', configurable: true });

/** Thrown when bindings break the FastExpression contract (not a JSONata error: a caller bug). */
export class FastPathContractError extends Error {
  readonly code = 'fast/contract';
}

type Attributable = { position?: unknown; token?: unknown };

function isAttributable(err: unknown): err is Attributable {
  return err !== null && typeof err === 'object' && Object.isExtensible(err);
}

/**
 * jsonata's operator attribution: the operator's position and token replace whatever was there,
 * on any error object (also a guard's signal thrown from an evaluate-exit hook).
 */
export function attributeToOperator(err: unknown, position: number | undefined, token: string): unknown {
  if (isAttributable(err)) {
    err.position = position;
    err.token = token;
  }
  return err;
}

/** jsonata's call attribution: the call's position unless it has none, the function's name if unset. */
export function attributeToCall(err: unknown, position: number | undefined, name: string): unknown {
  if (isAttributable(err)) {
    err.position = position || err.position;
    if (!err.token) err.token = name;
  }
  return err;
}
