/** The "Examples:" section every command's --help ends with. */

/**
 * The text for `command.addHelpText('after', …)`: `examples` as `  $ encord-rules …` lines, then
 * `note` if given. Pure. Each example must work as written from a copy of the repository root
 * holding the demo store (`encord-rules local init --demo`): test/cli-help.test.ts runs them all.
 */
export function formatExamples(examples: readonly string[], note?: string): string {
  const heading = examples.length === 1 ? 'Example:' : 'Examples:';
  const lines = examples.map((example) => `  $ ${example}`);
  return ['', heading, ...lines, ...(note === undefined ? [] : [note])].join('\n');
}
