/** `encord-rules schema`: prints the rule file JSON Schema (for editors and CI). */
import type { Command } from 'commander';
import { readRulesSchemaText } from '../../rules/rule-schema.js';
import type { CliIO, SetExitCode } from '../context.js';
import { formatExamples } from './help-examples.js';

export function registerSchema(program: Command, io: CliIO, _setExitCode: SetExitCode): void {
  program
    .command('schema')
    .description('print the JSON Schema of rule files (draft 2020-12)')
    .addHelpText('after', formatExamples(['encord-rules schema > rules.schema.json'], '  then, first line of a rule file:  # yaml-language-server: $schema=./rules.schema.json'))
    .action(() => {
      io.stdout(readRulesSchemaText());
    });
}
