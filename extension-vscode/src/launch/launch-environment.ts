// Gives debug sessions and `signus` tasks the key in their environment at launch, from SecretStorage, so the
// key never has to be written into launch.json, tasks.json or a .env file. Nothing here writes a file.
import * as vscode from 'vscode';
import { UserError } from '../commands/errors.js';
import { setting } from '../config.js';
import { spokenMask, type KeyRecord } from '../keys/model.js';
import type { KeyStore } from '../keys/store.js';
import type { Log } from '../log.js';
import {
  keyEnvironment,
  keyRequest,
  refusedKeyProblem,
  withKeyEnvironment,
  type KeyEnvironment,
  type KeyRequest,
} from './launch-key.js';

export const TASK_TYPE = 'signus';

interface SignusTaskDefinition extends vscode.TaskDefinition {
  command?: unknown;
  args?: unknown;
  key?: unknown;
}

export class LaunchEnvironment implements vscode.DebugConfigurationProvider, vscode.TaskProvider {
  constructor(
    private readonly store: KeyStore,
    private readonly log: Log,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.debug.registerDebugConfigurationProvider('*', this),
      vscode.tasks.registerTaskProvider(TASK_TYPE, this),
    ];
  }

  /** After `${…}` variables are substituted: the key is added last, so no variable can print it. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    let request = keyRequest((config as { signus?: unknown }).signus);
    if (request.kind === 'none') {
      if (!setting('debug.injectEnvironment')) return config;
      request = { kind: 'active' };
    }
    try {
      const { record, env } = await this.environment(request);
      this.log.info(
        `Launch "${config.name}" gets the key "${record.name}" (${spokenMask(record.maskedSecret)}) in its environment.`,
      );
      return withKeyEnvironment(config, env);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.log.warn(`Launch "${config.name}" stopped: ${error.message}`);
      void vscode.window.showErrorMessage(`Signus: the launch "${config.name}" was stopped. ${error.message}`);
      // undefined stops the launch quietly; the message above says why.
      return undefined;
    }
  }

  provideTasks(): vscode.Task[] {
    return [];
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task> {
    const definition = task.definition as SignusTaskDefinition;
    const scope = task.scope ?? vscode.TaskScope.Workspace;
    const make = (execution: vscode.Task['execution']) =>
      new vscode.Task(definition, scope, task.name, TASK_TYPE, execution, task.problemMatchers);
    try {
      const { command, args } = taskCommand(definition);
      const request = definition.key === undefined ? { kind: 'active' as const } : keyRequest({ key: definition.key });
      const { record, env } = await this.environment(request);
      this.log.info(
        `Task "${task.name}" gets the key "${record.name}" (${spokenMask(record.maskedSecret)}) in its environment.`,
      );
      const options = { env: { ...env } };
      return make(
        args ? new vscode.ProcessExecution(command, args, options) : new vscode.ShellExecution(command, options),
      );
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.log.warn(`Task "${task.name}" stopped: ${error.message}`);
      return make(new vscode.CustomExecution(async () => explainingTerminal(`Signus: ${error.message}`)));
    }
  }

  /** The key a request names, checked: present, with its secret, and not refused by the API when last tested. */
  async environment(request: KeyRequest): Promise<{ record: KeyRecord; env: KeyEnvironment }> {
    if (request.kind === 'invalid') throw new UserError(request.problem);
    let record: KeyRecord | undefined;
    if (request.kind === 'named') {
      record = this.store.findByName(request.name);
      if (!record) {
        const names = this.store.list().map((k) => `"${k.name}"`);
        throw new UserError(
          `No stored key is named "${request.name}"${names.length ? ` (stored: ${names.join(', ')})` : ''}. Add it with "Signus: Add API Key", or fix the name.`,
        );
      }
    } else {
      record = this.store.active();
      if (!record) throw new UserError('No active key. Add one with "Signus: Add API Key".');
    }
    const refused = refusedKeyProblem(record);
    if (refused) throw new UserError(refused);
    const secret = await this.store.secret(record.id);
    if (!secret)
      throw new UserError(
        `The secret of "${record.name}" is missing from VS Code's secret storage. Add the key again.`,
      );
    return { record, env: keyEnvironment(record, secret) };
  }
}

function taskCommand(definition: SignusTaskDefinition): { command: string; args?: string[] } {
  const { command, args } = definition;
  if (typeof command !== 'string' || command.trim() === '') {
    throw new UserError('A "signus" task needs a "command" (for example "npm test").');
  }
  if (args === undefined) return { command };
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new UserError('The "args" of a "signus" task must be a list of strings.');
  }
  return { command, args };
}

/** A task terminal that says why the task did not run, and fails. */
function explainingTerminal(message: string): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number>();
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      write.fire(`${message.replace(/\n/g, '\r\n')}\r\n`);
      close.fire(1);
    },
    close: () => undefined,
  };
}
