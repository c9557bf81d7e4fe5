/** rules/: YAML rule files → validated RuleFile values with source positions, and their checks. */
export type * from './types.js';
export { parseRuleFile, MAX_DIAGNOSTICS_PER_FILE, type ParsedRuleFile } from './parse.js';
export { loadRuleFiles, readRuleFile, type LoadedRuleFiles, type LoadOptions } from './load.js';
export { resolveParams, parseParamText, checkParamValue, paramValueSchema, COMMAND_LINE_FILE, type ResolvedParams } from './params.js';
export { checkRuleFileAgainstProject } from './project-checks.js';
export { RULE_FILE_CHECKS, runRuleFileChecks, isCatchAll, type CheckInput, type RuleFileCheck } from './checks.js';
export { readRulesSchema, readRulesSchemaText, RULES_SCHEMA_URL } from './rule-schema.js';
export { MAX_RULE_FILE_BYTES } from '../yaml/source-text.js';
export { MAX_ALIAS_COUNT, MAX_FLOW_DEPTH } from '../yaml/yaml-source.js';
export { RULE_FILE_FIELDS } from './convert.js';
