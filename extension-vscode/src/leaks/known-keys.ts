// The user's own keys as fingerprints: for the editor's scanner (in memory) and for the git hook
// (the known-keys file, which holds fingerprints and names only).
import * as vscode from 'vscode';
import {
  createKnownKeySet,
  knownKeyFingerprints,
  withRevokedKeys,
  type KnownKeyEntry,
  type KnownKeySet,
} from '@signus/shared';
import type { KeyStore } from '../keys/store.js';
import type { Log } from '../log.js';
import { setting } from '../config.js';

/** The known-keys file this extension writes; the pre-commit hook it installs reads the same one. */
export async function knownKeysPath(): Promise<string> {
  const configured = setting('knownKeys.path').trim();
  return configured || (await import('@signus/shared/node')).defaultKnownKeysPath();
}

export class KnownKeys implements vscode.Disposable {
  private set: KnownKeySet | undefined;
  private pending: Promise<KnownKeySet> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: KeyStore,
    private readonly log: Log,
  ) {
    this.subscription = store.onDidChange(() => this.refresh());
  }

  async current(): Promise<KnownKeySet> {
    if (this.set) return this.set;
    this.pending ??= this.build();
    return this.pending;
  }

  private async build(): Promise<KnownKeySet> {
    const entries = await this.entries();
    // Keys an incident confirmed revoked (the file beside the known keys) are named as such here too, as the
    // hook and `signus scan` name them.
    this.set = withRevokedKeys(createKnownKeySet(entries), await this.revoked()) ?? createKnownKeySet(entries);
    if (setting('knownKeys.sync')) await this.writeFile(entries);
    return this.set;
  }

  private async revoked(): Promise<Parameters<typeof withRevokedKeys>[1]> {
    const node = await import('@signus/shared/node');
    try {
      return node.readRevokedKeys(node.revokedKeysPath(await this.path()));
    } catch (error) {
      this.log.error('Could not read the revoked-keys file', error);
      return [];
    }
  }

  /** Reads the files again (after an incident marked a key revoked). */
  refresh(): void {
    this.set = undefined;
    this.pending = undefined;
    void this.current().then(() => this.changed.fire());
  }

  async entries(): Promise<KnownKeyEntry[]> {
    const out: KnownKeyEntry[] = [];
    for (const { record, secret } of await this.store.secretsWithNames()) {
      out.push({ label: record.name, fingerprints: await knownKeyFingerprints(secret) });
    }
    return out;
  }

  path(): Promise<string> {
    return knownKeysPath();
  }

  /** Writes the file now and says where, for the command. */
  async sync(): Promise<string> {
    const entries = await this.entries();
    await this.writeFile(entries);
    return this.path();
  }

  private async writeFile(entries: KnownKeyEntry[]): Promise<void> {
    const path = await this.path();
    try {
      (await import('@signus/shared/node')).writeKnownKeys(entries, path);
      this.log.info(`Known-keys file updated: ${entries.length} key(s), fingerprints only, at ${path}.`);
    } catch (error) {
      this.log.error(`Could not write the known-keys file at ${path}`, error);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
