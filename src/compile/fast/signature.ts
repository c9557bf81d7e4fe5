/**
 * Argument validation for the built-in functions, following jsonata's signature semantics
 * (`<s-nn?:s>`: types s n b l o a f j x, `-` = context when missing, `?` optional, `+` repeated,
 * `(sf)` a choice, `a<s>` an array of strings). jsonata matches the string of argument type
 * symbols against a regex built from the signature; a missing argument's position, the context
 * substitution and the T0410 index all follow from that match, so this module builds the same
 * regex and turns each distinct symbol string into a plan once (cached), then applies the plan.
 */
import { JsonataError } from './errors.js';
import { signatureSymbol } from './values.js';

interface Param {
  /** Regex fragment for this parameter, including `?`/`+`. */
  pattern: string;
  type: string;
  /** When set, a missing argument is replaced by the context value if it matches this. */
  contextPattern?: RegExp;
  subtype?: string;
}

type Slot =
  | { kind: 'arg'; from: number; asArray: boolean; checkItems?: string; itemsName?: string }
  | { kind: 'missing'; from: number }
  | { kind: 'context'; test: RegExp; index: number };

type Plan =
  | { ok: true; slots: Slot[]; /** The function receives the arguments unchanged. */ identity: boolean }
  | { ok: false; error: 'T0410' | 'T0412'; index: number; type?: string };

const ARRAY_ITEM_NAMES: Readonly<Record<string, string>> = {
  a: 'arrays',
  b: 'booleans',
  f: 'functions',
  n: 'numbers',
  o: 'objects',
  s: 'strings',
};

const TYPE_PATTERNS: Readonly<Record<string, string>> = {
  s: '[sm]',
  n: '[nm]',
  b: '[bm]',
  l: '[lm]',
  o: '[om]',
  a: '[asnblfom]',
  f: 'f',
  j: '[asnblom]',
  x: '[asnblfom]',
};

function closingIndex(text: string, start: number, open: string, close: string): number {
  let depth = 1;
  let at = start;
  while (at < text.length && depth > 0) {
    at++;
    if (text[at] === close) depth--;
    else if (text[at] === open) depth++;
  }
  return at;
}

function parseParams(signature: string): Param[] {
  const params: Param[] = [];
  // Skip the leading '<'; stop at ':' (the return type, which jsonata does not check).
  for (let at = 1; at < signature.length && signature[at] !== ':'; at++) {
    const symbol = signature[at] as string;
    const previous = params[params.length - 1];
    const pattern = TYPE_PATTERNS[symbol];
    if (pattern !== undefined) {
      params.push({ pattern, type: symbol });
    } else if (symbol === '(') {
      const end = closingIndex(signature, at, '(', ')');
      const choice = signature.slice(at + 1, end);
      params.push({ pattern: `[${choice}m]`, type: `(${choice})` });
      at = end;
    } else if (symbol === '<' && previous) {
      const end = closingIndex(signature, at, '<', '>');
      previous.subtype = signature.slice(at + 1, end);
      at = end;
    } else if (symbol === '-' && previous) {
      previous.contextPattern = new RegExp(previous.pattern);
      previous.pattern += '?';
    } else if ((symbol === '?' || symbol === '+') && previous) {
      previous.pattern += symbol;
    }
  }
  return params;
}

/** The T0410 index: one past the longest prefix of symbols the parameters accept, in order. */
function mismatchIndex(params: Param[], symbols: string): number {
  let partial = '^';
  let goodTo = 0;
  for (const param of params) {
    partial += param.pattern;
    const match = symbols.match(partial);
    if (match === null) return goodTo + 1;
    goodTo = match[0].length;
  }
  return goodTo + 1;
}

function planArguments(params: Param[], regex: RegExp, symbols: string): Plan {
  const match = regex.exec(symbols);
  if (match === null) return { ok: false, error: 'T0410', index: mismatchIndex(params, symbols) };
  const slots: Slot[] = [];
  let from = 0;
  for (let p = 0; p < params.length; p++) {
    const param = params[p] as Param;
    const group = match[p + 1] ?? '';
    if (group === '') {
      if (param.contextPattern) slots.push({ kind: 'context', test: param.contextPattern, index: from + 1 });
      else slots.push({ kind: 'arg', from: from++, asArray: false });
      continue;
    }
    for (const single of group) {
      if (param.type !== 'a') {
        slots.push({ kind: 'arg', from: from++, asArray: false });
      } else if (single === 'm') {
        slots.push({ kind: 'missing', from: from++ });
      } else if (param.subtype !== undefined && single !== 'a' && group !== param.subtype) {
        return { ok: false, error: 'T0412', index: from + 1, type: ARRAY_ITEM_NAMES[param.subtype] };
      } else {
        const checkItems = single === 'a' ? param.subtype : undefined;
        const itemsName = checkItems === undefined ? undefined : ARRAY_ITEM_NAMES[checkItems];
        slots.push({ kind: 'arg', from: from++, asArray: single !== 'a', checkItems, itemsName });
      }
    }
  }
  const identity = slots.every((slot, i) => slot.kind === 'arg' && slot.from === i && !slot.asArray && !slot.checkItems);
  return { ok: true, slots, identity };
}

function arrayItemsMatch(array: unknown[], subtype: string): boolean {
  if (array.length === 0) return true;
  const itemType = signatureSymbol(array[0]);
  if (itemType !== subtype.charAt(0)) return false;
  for (const item of array) if (signatureSymbol(item) !== itemType) return false;
  return true;
}

function applySlot(slot: Slot, args: readonly unknown[], context: unknown): unknown {
  if (slot.kind === 'missing') return undefined;
  if (slot.kind === 'context') {
    if (!slot.test.test(signatureSymbol(context))) {
      throw new JsonataError('T0411', { value: context, index: slot.index });
    }
    return context;
  }
  const arg = args[slot.from];
  if (slot.checkItems !== undefined && !arrayItemsMatch(arg as unknown[], slot.checkItems)) {
    throw new JsonataError('T0412', { value: arg, index: slot.from + 1, type: slot.itemsName });
  }
  return slot.asArray ? [arg] : arg;
}

export type ArgumentValidator = (args: readonly unknown[], context: unknown) => readonly unknown[];

/** Small integer codes for argument symbols, so a call's symbol string is a number key. */
function symbolCode(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 1;
    case 'number':
      return 2;
    case 'boolean':
      return 3;
    case 'undefined':
      return 4;
    default:
      return 5 + 'lofa'.indexOf(signatureSymbol(value));
  }
}

/** Builds a validator for one signature: (evaluated args, context) → the args the function receives. */
export function createArgumentValidator(signature: string): ArgumentValidator {
  const params = parseParams(signature);
  const regex = new RegExp('^' + params.map((param) => `(${param.pattern})`).join('') + '$');
  // Keyed by the argument types as a base-9 number: the plan depends on nothing else.
  const plans = new Map<number, Plan>();
  // Most call sites see the same argument types every time: remember the last plan.
  let lastKey = 0;
  let lastPlan: Plan | undefined;
  return (args, context) => {
    let key = 1;
    for (let i = 0; i < args.length; i++) key = key * 9 + symbolCode(args[i]);
    let plan = key === lastKey ? lastPlan : undefined;
    // Beyond 16 arguments the key loses precision: plan afresh (and such calls fail anyway).
    if (plan === undefined && args.length <= 16) plan = plans.get(key);
    if (plan === undefined) {
      plan = planArguments(params, regex, args.map(signatureSymbol).join(''));
      if (args.length <= 16) plans.set(key, plan);
    }
    if (args.length <= 16) {
      lastKey = key;
      lastPlan = plan;
    }
    if (!plan.ok) {
      throw new JsonataError(plan.error, { value: args[plan.index - 1], index: plan.index, type: plan.type });
    }
    if (plan.identity) return args;
    const validated: unknown[] = [];
    for (const slot of plan.slots) validated.push(applySlot(slot, args, context));
    return validated;
  };
}
