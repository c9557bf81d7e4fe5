/**
 * The functions we add to JSONata: `$answer`, `$objects`, and `$now`/`$millis` fixed to the
 * evaluation's `now`. They are registered once per compiled expression and read the current
 * document, ontology and time from a per-evaluation binding, so one compiled expression can
 * serve every task.
 */
import type { Expression } from 'jsonata';
import type { AnswerValue, Ontology } from '../model/index.js';
import { readAnswer, readObjects } from '../labels/read.js';

/** What the helpers see during one evaluation. */
export interface EvaluationState {
  now: Date;
  document: unknown;
  ontology: Ontology;
}

/** The binding holding EvaluationState. The space keeps it out of reach: no `$name` can spell it. */
export const STATE_BINDING = ' encord-rules evaluation';

/** jsonata calls registered functions with `this` = { environment, input }. */
interface Focus {
  environment: { lookup(name: string): unknown };
}

/** Adds the helpers to a compiled expression; call once, right after compiling. */
export function registerHelpers(expression: Expression): void {
  expression.registerFunction(
    'now',
    function (this: Focus, picture?: string, timezone?: string) {
      return formatMillis(this, stateOf(this).now.getTime(), picture, timezone);
    },
    '<s?s?:s>',
  );
  expression.registerFunction('millis', function (this: Focus) {
    return stateOf(this).now.getTime();
  }, '<:n>');
  expression.registerFunction('answer', function (this: Focus, classification: string) {
    const state = stateOf(this);
    return answerToValue(readAnswer(state.document, state.ontology, classification));
  }, '<s:x>');
  expression.registerFunction('objects', function (this: Focus, objectName?: string) {
    const state = stateOf(this);
    return readObjects(state.document, state.ontology, objectName);
  }, '<s?:a>');
}

/** `$now()` and `$millis()` as plain synchronous functions, for the fast path. */
export function createClockBindings(now: Date): { now: () => string; millis: () => number } {
  const millis = now.getTime();
  const iso = new Date(millis).toISOString();
  return { now: () => iso, millis: () => millis };
}

/** An answer as a JSONata value: an option label, a list of labels, text or a number. */
export function answerToValue(answer: AnswerValue | undefined): unknown {
  if (!answer) return undefined;
  switch (answer.type) {
    case 'radio':
      return answer.option;
    case 'checklist':
      return [...answer.options];
    case 'text':
      return answer.text;
    case 'numeric':
      return answer.value;
  }
}

function stateOf(focus: Focus): EvaluationState {
  const state = focus.environment.lookup(STATE_BINDING) as EvaluationState | undefined;
  if (!state) throw new Error('internal: evaluation state not bound');
  return state;
}

/** Formats through jsonata's own `$fromMillis`, so `$now(picture, tz)` behaves as documented. */
function formatMillis(focus: Focus, millis: number, picture?: string, timezone?: string): unknown {
  const fromMillis = focus.environment.lookup('fromMillis') as { implementation: (...args: unknown[]) => unknown };
  return fromMillis.implementation.call(focus, millis, picture, timezone);
}
