/**
 * Every command registers itself here. One file per command (or command group) under
 * src/cli/commands/, each exporting `register…(program, io, setExitCode)`.
 */
import type { Command } from 'commander';
import type { CliIO, SetExitCode } from '../context.js';
import { registerExplainCommand } from './explain.js';
import { registerTestCommand } from './test.js';
import { registerAgentNodes } from './agent-nodes.js';
import { registerInit } from './init.js';
import { registerLocal } from './local.js';
import { registerDemo } from './demo.js';
import { registerApply } from './apply.js';
import { registerValidate } from './validate.js';
import { registerSchema } from './schema.js';

export type RegisterCommand = (program: Command, io: CliIO, setExitCode: SetExitCode) => void;

const registrations: RegisterCommand[] = [registerTestCommand, registerExplainCommand, registerAgentNodes, registerInit, registerLocal, registerDemo, registerApply, registerValidate, registerSchema];

export function registerCommands(program: Command, io: CliIO, setExitCode: SetExitCode): void {
  for (const register of registrations) register(program, io, setExitCode);
}
