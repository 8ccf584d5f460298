// Which key a command is about: a tree row, `{ name }`, `{ id }`, a name, or a pick from the list.
import * as vscode from 'vscode';
import { environmentLabel, spokenMask, type KeyRecord } from '../keys/model.js';
import type { KeyStore } from '../keys/store.js';
import { KeyItem, RetiredItem, selectedKeyItem } from '../keys/tree.js';
import { isSelectionArg, UserError } from './errors.js';
import { runCommand } from './errors.js';
import { COMMANDS } from '../contributes.js';

export function keyFromArgs(store: KeyStore, arg: unknown): KeyRecord | undefined {
  if (arg === undefined || arg === null) return undefined;
  if (arg instanceof KeyItem || arg instanceof RetiredItem) return store.get(arg.record.id) ?? missing(arg.record.name);
  if (typeof arg === 'string') return store.findByName(arg) ?? missing(arg);
  if (isSelectionArg(arg)) {
    const item = selectedKeyItem();
    return item && store.get(item.record.id);
  }
  if (typeof arg === 'object') {
    const { id, name, key } = arg as { id?: unknown; name?: unknown; key?: unknown };
    const wanted = typeof key === 'string' ? key : name;
    if (typeof id === 'string') return store.get(id) ?? missing(id);
    if (typeof wanted === 'string') return store.findByName(wanted) ?? missing(wanted);
    return undefined;
  }
  throw new UserError(`Expected a key name or { name: "…" }, got ${typeof arg}.`);
}

function missing(name: string): never {
  throw new UserError(`There is no stored key named "${name}". Add it with "Signus: Add API Key".`);
}

/** `only`: which keys the list offers (e.g. those with an old key pending); the command explains an empty list. */
export async function pickKey(
  store: KeyStore,
  arg: unknown,
  placeHolder: string,
  only?: { filter: (record: KeyRecord) => boolean; none: string },
): Promise<KeyRecord | undefined> {
  const given = keyFromArgs(store, arg);
  if (given) return given;
  const all = store.list();
  const keys = only ? all.filter(only.filter) : all;
  if (only && all.length > 0 && keys.length === 0) throw new UserError(only.none);
  if (keys.length === 0) {
    const add = await vscode.window.showInformationMessage('Signus: no API keys are stored yet.', 'Add API Key');
    if (add) await runCommand(COMMANDS.addKey);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(keyPickItems(store, keys), {
    placeHolder,
    title: 'Signus API keys',
  });
  return picked?.record;
}

/**
 * One quick-pick row per key. The description is what a screen reader reads after the name, so the secret is
 * "key ending in abcd", not the mask's bullets.
 */
export function keyPickItems(
  store: KeyStore,
  keys: readonly KeyRecord[] = store.list(),
): (vscode.QuickPickItem & { record: KeyRecord })[] {
  const active = store.activeId();
  return keys.map((k) => ({
    label: k.name,
    description: `${environmentLabel(k.baseUrl)} · ${spokenMask(k.maskedSecret)}${k.id === active ? ' · active' : ''}`,
    record: k,
  }));
}
