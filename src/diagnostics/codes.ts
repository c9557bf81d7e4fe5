/**
 * One code per kind of unknown reference, wherever the name was written: a rule file, a
 * command-line flag (`--stage`, `--route`), a test case, a local store command. Tests and
 * scripts match on these, so they are stable.
 */

/** A stage named by uuid or title that the project (or, for `apply --stage` and a test case, the rule file) does not have. */
export const UNKNOWN_STAGE = 'rule/unknown-stage';
/** A stage that exists but is not an AGENT stage, where only agent stages are allowed. */
export const NOT_AGENT_STAGE = 'rule/not-agent-stage';
/** A pathway named by name or uuid that the agent stage does not have. */
export const UNKNOWN_PATHWAY = 'rule/unknown-pathway';
