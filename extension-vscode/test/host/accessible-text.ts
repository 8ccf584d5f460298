import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KeyTreeNode } from '../../src/keys/tree.js';
import { addKey, api, clearKeys, filesContaining, run } from './helpers.js';

const BULLETS = /[•●]/;

function textOf(value: string | vscode.MarkdownString | vscode.TreeItemLabel | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return 'value' in value ? value.value : value.label;
}

// A screen reader reads a mask's bullets one by one ("bullet bullet bullet…"): what it reads says
// "key ending in abcd". Runs after the other suites, so the log holds every line they made the extension write.
describe('accessible text says "key ending in", never bullets', () => {
  before(async () => {
    await clearKeys();
    await addKey({
      name: 'Spoken',
      secret: `sk_FAKE${'Ab1'.repeat(8)}WXYZ`,
      accountId: '123e4567-e89b-12d3-a456-426614174000',
      environment: 'http://127.0.0.1:9',
      test: true,
      saveIfRejected: true,
    });
    await run('signus.rotateKey', {
      name: 'Spoken',
      newSecret: `sk_FAKE${'Cd2'.repeat(8)}QRST`,
      test: false,
      updateEnvFiles: false,
    });
  });
  after(clearKeys);

  it('in the key list: rows with a mask on screen have an accessible name without it; tooltips', async () => {
    const { tree } = await api();
    const seen: string[] = [];
    const walk = (nodes: KeyTreeNode[]) => {
      for (const node of nodes) {
        const item = tree.getTreeItem(node);
        const shown = `${textOf(item.label)} ${String(item.description ?? '')}`;
        const spoken = item.accessibilityInformation?.label ?? shown;
        seen.push(spoken);
        assert.ok(!BULLETS.test(spoken), `a row is read as "${spoken}"`);
        assert.ok(!BULLETS.test(textOf(item.tooltip)), `a tooltip says "${textOf(item.tooltip)}"`);
        walk(tree.getChildren(node));
      }
    };
    walk(tree.getChildren());
    assert.ok(
      seen.some((s) => s.includes('key ending in QRST')) && seen.some((s) => s.includes('key ending in WXYZ')),
      `the key and its old key are both read: ${seen.join(' | ')}`,
    );
  });

  it('in the status bar item', async () => {
    const { status } = await api();
    const texts = status.accessibleTexts();
    assert.match(texts[0] ?? '', /"Spoken" .*key ending in QRST/);
    for (const text of texts) assert.ok(!BULLETS.test(text), text);
  });

  it('in the log', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const userData = process.env.SIGNUS_TEST_USER_DATA ?? '';
    const logs = filesContaining(join(userData, 'logs'), 'Stored key "Spoken"').filter((f) => /Signus/.test(f));
    assert.ok(logs.length > 0, 'the Signus log is on disk');
    for (const file of logs) {
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.deepEqual(
        lines.filter((l) => BULLETS.test(l)),
        [],
        file,
      );
      assert.ok(lines.some((l) => /Rotated key "Spoken": now key ending in QRST/.test(l)));
    }
  });
});
