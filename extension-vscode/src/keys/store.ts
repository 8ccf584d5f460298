// Keys: secrets in SecretStorage (the OS keychain on desktop), everything else in global state.
import * as vscode from 'vscode';
import { fingerprintSecret, maskSecret, redact, type KeyTestResult } from '@signus/shared';
import type { Log } from '../log.js';
import {
  keptLastTest,
  keyNameProblem,
  legacyRetiredSecretKey,
  newKeyId,
  readRecord,
  retiredSecretKey,
  secretKey,
  spokenMask,
  withOldKey,
  withOldKeyChanged,
  type KeyRecord,
  type RetiredKey,
  type StoredKeyRecord,
} from './model.js';

const RECORDS = 'signus.keys';
const ACTIVE = 'signus.activeKeyId';
const DEFAULT_ACCOUNT = 'signus.defaultAccountId';

export interface NewKey {
  name: string;
  secret: string;
  accountId: string;
  baseUrl: string;
}

export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: Log,
  ) {
    // Another window may add or delete a key: the secret event tells this one.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith('signus.key.')) this.changed.fire();
    });
  }

  /**
   * Names are redacted as they are read: a name saved before names with key-shaped text were refused
   * then shows masked in the list, the status bar, messages and the known-keys file.
   */
  list(): KeyRecord[] {
    return this.state
      .get<StoredKeyRecord[]>(RECORDS, [])
      .map((k) => ({ ...readRecord(k), name: redact(k.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): KeyRecord | undefined {
    return this.list().find((k) => k.id === id);
  }

  findByName(name: string): KeyRecord | undefined {
    const wanted = name.trim().toLowerCase();
    return this.list().find((k) => k.name.toLowerCase() === wanted);
  }

  activeId(): string | undefined {
    const id = this.state.get<string>(ACTIVE);
    return id && this.get(id) ? id : undefined;
  }

  active(): KeyRecord | undefined {
    const id = this.activeId();
    return id ? this.get(id) : undefined;
  }

  defaultAccountId(): string | undefined {
    return this.state.get<string>(DEFAULT_ACCOUNT);
  }

  async secret(id: string): Promise<string | undefined> {
    const value = await this.secrets.get(secretKey(id));
    if (value) this.log.rememberSecret(value);
    return value;
  }

  async add(input: NewKey): Promise<KeyRecord> {
    const problem = keyNameProblem(input.name, this.list());
    if (problem) throw new Error(problem);
    this.log.rememberSecret(input.secret);
    const record: KeyRecord = {
      id: newKeyId(),
      name: input.name.trim(),
      accountId: input.accountId,
      baseUrl: input.baseUrl,
      createdAt: new Date().toISOString(),
      maskedSecret: maskSecret(input.secret),
    };
    // Secret first: a record without its secret would be a broken row; a secret without a record is invisible.
    await this.secrets.store(secretKey(record.id), input.secret);
    await this.save([...this.list(), record]);
    await this.state.update(DEFAULT_ACCOUNT, input.accountId);
    if (!this.activeId()) await this.state.update(ACTIVE, record.id);
    this.log.info(`Stored key "${record.name}" (${spokenMask(record.maskedSecret)}) for account ${record.accountId}.`);
    this.changed.fire();
    return record;
  }

  async rename(id: string, newName: string): Promise<KeyRecord> {
    const record = this.require(id);
    const problem = keyNameProblem(newName, this.list(), id);
    if (problem) throw new Error(problem);
    const renamed = { ...record, name: newName.trim() };
    await this.save(this.list().map((k) => (k.id === id ? renamed : k)));
    this.log.info(`Renamed key "${record.name}" to "${renamed.name}".`);
    this.changed.fire();
    return renamed;
  }

  async remove(id: string): Promise<KeyRecord> {
    const record = this.require(id);
    await this.save(this.list().filter((k) => k.id !== id));
    await this.secrets.delete(secretKey(id));
    for (const old of record.oldKeys ?? []) await this.secrets.delete(retiredSecretKey(id, old.fingerprint));
    await this.secrets.delete(legacyRetiredSecretKey(id));
    if (this.state.get<string>(ACTIVE) === id) await this.state.update(ACTIVE, this.list()[0]?.id);
    this.log.info(`Deleted key "${record.name}" from VS Code.`);
    this.changed.fire();
    return record;
  }

  async setActive(id: string): Promise<void> {
    const record = this.require(id);
    await this.state.update(ACTIVE, id);
    this.log.info(`Active key is now "${record.name}".`);
    this.changed.fire();
  }

  async recordTest(id: string, result: KeyTestResult): Promise<void> {
    if (!this.get(id)) return;
    await this.save(this.list().map((k) => (k.id === id ? { ...k, lastTest: keptLastTest(k.lastTest, result) } : k)));
    this.changed.fire();
  }

  /**
   * Rotation: the new secret takes the old one's place; the old one is kept aside, beside any earlier old key
   * still pending, until it is revoked.
   */
  async replaceSecret(id: string, newSecret: string): Promise<void> {
    const record = this.require(id);
    const old = await this.secret(id);
    this.log.rememberSecret(newSecret);
    let updated: KeyRecord = { ...record, maskedSecret: maskSecret(newSecret) };
    delete updated.lastTest;
    if (old) {
      const fingerprint = await fingerprintSecret(old);
      await this.secrets.store(retiredSecretKey(id, fingerprint), old);
      updated = withOldKey(updated, {
        maskedSecret: maskSecret(old),
        fingerprint,
        rotatedAt: new Date().toISOString(),
      });
    }
    // A key rotated back to one of its old keys: that one is the key again, not an old key.
    const back = await fingerprintSecret(newSecret);
    if (updated.oldKeys?.some((o) => o.fingerprint === back)) {
      updated = withOldKeyChanged(updated, back, () => undefined);
      await this.deleteRetiredSecret(id, back);
    }
    await this.secrets.store(secretKey(id), newSecret);
    await this.save(this.list().map((k) => (k.id === id ? updated : k)));
    this.log.info(`Rotated key "${record.name}": now ${spokenMask(updated.maskedSecret)}.`);
    this.changed.fire();
  }

  /** The secret of an old key still pending revocation. */
  async retiredSecret(id: string, fingerprint: string): Promise<string | undefined> {
    let value = await this.secrets.get(retiredSecretKey(id, fingerprint));
    // Kept by an earlier version in the one slot a key had: that value, if it is this old key.
    if (!value) value = await this.legacyRetiredSecret(id, fingerprint);
    if (value) this.log.rememberSecret(value);
    return value;
  }

  /** A check of the old key got a 401: its secret is deleted, the row says revoked. */
  async markRetiredRevoked(id: string, fingerprint: string, result: KeyTestResult): Promise<void> {
    await this.deleteRetiredSecret(id, fingerprint);
    await this.updateRetired(id, fingerprint, (old) => ({ ...old, revokedAt: result.testedAt }));
  }

  /** A check of the old key that did not get a 401: still pending, with what the check said. */
  async recordRetiredCheck(id: string, fingerprint: string, result: KeyTestResult): Promise<void> {
    await this.updateRetired(id, fingerprint, (old) => ({ ...old, lastCheck: keptLastTest(old.lastCheck, result) }));
  }

  /** Takes an old key's row away (after it was revoked, when the user no longer needs to see it). */
  async dismissRetired(id: string, fingerprint: string): Promise<void> {
    await this.deleteRetiredSecret(id, fingerprint);
    await this.updateRetired(id, fingerprint, () => undefined);
  }

  private async legacyRetiredSecret(id: string, fingerprint: string): Promise<string | undefined> {
    const value = await this.secrets.get(legacyRetiredSecretKey(id));
    return value && (await fingerprintSecret(value)) === fingerprint ? value : undefined;
  }

  private async deleteRetiredSecret(id: string, fingerprint: string): Promise<void> {
    await this.secrets.delete(retiredSecretKey(id, fingerprint));
    if (await this.legacyRetiredSecret(id, fingerprint)) await this.secrets.delete(legacyRetiredSecretKey(id));
  }

  private async updateRetired(
    id: string,
    fingerprint: string,
    change: (old: RetiredKey) => RetiredKey | undefined,
  ): Promise<void> {
    const record = this.get(id);
    if (!record?.oldKeys?.some((o) => o.fingerprint === fingerprint)) return;
    const next = withOldKeyChanged(record, fingerprint, change);
    await this.save(this.list().map((k) => (k.id === id ? next : k)));
    this.changed.fire();
  }

  /** Every stored secret with its key's name, e.g. to fingerprint them. */
  async secretsWithNames(): Promise<{ record: KeyRecord; secret: string }[]> {
    const out: { record: KeyRecord; secret: string }[] = [];
    for (const record of this.list()) {
      const secret = await this.secret(record.id);
      if (secret) out.push({ record, secret });
    }
    return out;
  }

  private require(id: string): KeyRecord {
    const record = this.get(id);
    if (!record) throw new Error('That key is no longer in the list; it may have been deleted in another window.');
    return record;
  }

  private async save(records: KeyRecord[]): Promise<void> {
    await this.state.update(RECORDS, records);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
