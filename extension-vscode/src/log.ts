// The extension's log. Every line passes through `redact` with the secrets this session has seen,
// so not even an error message quoting a key can put it in the Output panel; a masked key reads "key ending in abcd".
import { redact } from '@signus/shared';
import * as vscode from 'vscode';
import { speakMasks } from './keys/model.js';

export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Signus', { log: true });
  }

  /** Secrets to mask wherever they appear, even glued to other text. */
  rememberSecret(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }

  /** Redacted, and the masks as words: a screen reader reads the Output panel's bullets one by one. */
  private clean(message: string): string {
    return speakMasks(redact(message, [...this.secrets]));
  }

  info(message: string): void {
    this.channel.info(this.clean(message));
  }

  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
    this.channel.error(this.clean(`${message}${detail}`));
  }

  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
