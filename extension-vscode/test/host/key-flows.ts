import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { fingerprintSecret, PRODUCTION_BASE_URL } from '@signus/shared';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import type { KeyTreeNode } from '../../src/keys/tree.js';
import {
  addKey,
  answerStep,
  api,
  clearKeys,
  run,
  stepAccept,
  stepBack,
  stepEscape,
  EXTENSION_ID,
  stepShowing,
  waitFor,
  workspaceRoot,
} from './helpers.js';

interface Manifest {
  contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> };
}

/** The key list as a person reads it: each row's label and description, children indented. */
async function treeText(): Promise<string[]> {
  const { tree } = await api();
  const out: string[] = [];
  const walk = (nodes: KeyTreeNode[], depth: number) => {
    for (const node of nodes) {
      const item = tree.getTreeItem(node);
      out.push(`${'  '.repeat(depth)}${String(item.label)} | ${String(item.description ?? '')}`);
      walk(tree.getChildren(node), depth + 1);
    }
  };
  walk(tree.getChildren(), 0);
  return out;
}

async function rowOf(label: string): Promise<vscode.TreeItem> {
  const { tree } = await api();
  const find = (nodes: KeyTreeNode[]): vscode.TreeItem | undefined => {
    for (const node of nodes) {
      const item = tree.getTreeItem(node);
      if (String(item.label) === label) return item;
      const inner = find(tree.getChildren(node));
      if (inner) return inner;
    }
    return undefined;
  };
  const row = find(tree.getChildren());
  assert.ok(row, `no row "${label}" in ${(await treeText()).join('\n')}`);
  return row;
}

/** The counter a step shows next to its title, "(2/5)". */
function counter(input: vscode.QuickInput): string {
  return `${input.step}/${input.totalSteps}`;
}

describe('key flows: multi-step Add and Rotate, production keys, Test All, revocation', () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator();
    await clearKeys();
  });
  after(async () => {
    await clearKeys();
    await emulator.close();
  });

  it('Add API Key is one multi-step input: counter, Back keeps the values, Escape saves nothing', async () => {
    const { store } = await api();
    const adding = run<{ name: string; tested?: string } | undefined>('signus.addKey');
    const name = await answerStep('A name for the key', 'Emulator');
    assert.equal(counter(name), '1/5');
    assert.ok(!(name as vscode.InputBox).buttons.includes(vscode.QuickInputButtons.Back), 'no Back on the first step');
    const secret = await stepShowing('The secret of "Emulator"');
    assert.equal(counter(secret), '2/5');
    assert.ok((secret as vscode.InputBox).buttons.includes(vscode.QuickInputButtons.Back), 'Back on the second step');
    assert.equal((secret as vscode.InputBox).password, true, 'the secret is typed hidden');
    await answerStep('The secret of', emulator.apiKey);
    await answerStep('The Account ID', emulator.accountId);
    await stepBack('Which Signus environment');
    const account = await stepShowing('The Account ID');
    assert.equal((account as vscode.InputBox).value, emulator.accountId, 'Back shows the Account ID typed');
    await stepBack('The Account ID');
    assert.equal((await stepShowing('The secret of')).step, 2);
    assert.equal(((await stepShowing('The secret of')) as vscode.InputBox).value, emulator.apiKey, 'and the secret');
    await stepBack('The secret of');
    assert.equal(((await stepShowing('A name for the key')) as vscode.InputBox).value, 'Emulator');
    await answerStep('A name for the key', 'Emulator');
    await answerStep('The secret of', emulator.apiKey);
    await answerStep('The Account ID', emulator.accountId);
    const env = await answerStep('Which Signus environment', 'Another base URL');
    assert.equal(counter(env), '4/5');
    const url = await stepShowing('The base URL of the Signus API');
    assert.equal(counter(url), '5/6', '"Another base URL…" adds a step');
    await answerStep('The base URL of the Signus API', emulator.url);
    await answerStep('Test the key against the Signus API', 'Test, then save');
    const added = await adding;
    assert.equal(added?.name, 'Emulator');
    assert.equal(added?.tested, 'valid');
    assert.equal(store.findByName('Emulator')?.baseUrl, emulator.url);

    const cancelled = run('signus.addKey');
    await answerStep('A name for the key', 'Never saved');
    await answerStep('The secret of', emulator.otherApiKey);
    await stepEscape('The Account ID');
    assert.equal(await cancelled, undefined);
    assert.equal(store.findByName('Never saved'), undefined, 'Escape saves nothing');
  });

  it('Rotate is one multi-step input with Back; the old key is pending revocation until a check gets 401', async () => {
    const { store } = await api();
    const fresh = emulator.createKey({ accountId: emulator.accountId, name: 'rotated in' });
    const envFile = join(workspaceRoot(), '.env');
    writeFileSync(envFile, `SIGNUS_API_KEY=${emulator.apiKey}\n`);
    const { asked, end } = (await api()).scriptModals([undefined]);
    try {
      const rotating = run<{ updatedFiles: string[] } | undefined>('signus.rotateKey');
      const pick = await answerStep('Rotate which key?', 'Emulator');
      assert.equal(counter(pick), '1/3');
      const described = (pick as vscode.QuickPick<vscode.QuickPickItem>).items.map((i) => i.description ?? '');
      assert.match(described[0] ?? '', /^127\.0\.0\.1:\d+ · key ending in .{4} · active$/);
      assert.ok(!described.join().includes('•'), 'a screen reader hears words, not bullets');
      const paste = await stepShowing('Create a new key for "Emulator" in Signus');
      assert.equal(counter(paste), '2/3');
      const buttons = (paste as vscode.InputBox).buttons;
      assert.ok(buttons.includes(vscode.QuickInputButtons.Back));
      assert.ok(
        buttons.some((b) => b.tooltip === 'Open Signus Developer Settings'),
        'the step links to where keys are created, instead of a toast before it',
      );
      await answerStep('Create a new key for', fresh.secret);
      const files = await stepShowing('Replace the old key with the new one in these .env files');
      assert.equal(counter(files), '3/3');
      const items = (files as vscode.QuickPick<vscode.QuickPickItem>).items;
      assert.deepEqual(
        items.map((i) => i.label),
        ['.env'],
      );
      assert.ok(!JSON.stringify(items).includes(fresh.secret) && !JSON.stringify(items).includes(emulator.apiKey));
      await stepBack('Replace the old key');
      const again = (await stepShowing('Create a new key for')) as vscode.InputBox;
      assert.equal(again.value, fresh.secret, 'Back keeps the pasted key');
      await answerStep('Create a new key for', fresh.secret);
      await stepAccept('Replace the old key');
      const outcome = await rotating;
      assert.deepEqual(outcome?.updatedFiles, ['.env']);
      assert.equal(readFileSync(envFile, 'utf8'), `SIGNUS_API_KEY=${fresh.secret}\n`);
      assert.equal(asked.length, 1, 'the last step is one modal');
      assert.match(asked[0] ?? '', /Delete the old key \(key ending in .{4}\) in Signus/);
    } finally {
      end();
      writeFileSync(envFile, '');
    }
    const record = store.findByName('Emulator');
    assert.equal(await store.secret(record!.id), fresh.secret);
    assert.equal(record!.lastTest?.verdict, 'valid', "the row shows the new key's test, not 'not tested'");
    const oldRow = await rowOf(`Old key ${record!.oldKeys![0]!.maskedSecret}`);
    assert.match(String(oldRow.description), /^pending revocation since just now$/);
    assert.equal(oldRow.contextValue, 'signusRetired.pending');
    assert.match(oldRow.accessibilityInformation?.label ?? '', /^Old key of Emulator, key ending in .{4}, pending/);
    assert.equal(record!.oldKeys![0]!.fingerprint, await fingerprintSecret(emulator.apiKey));

    const still = await run<{ revoked: boolean; status: number }>('signus.verifyRevoked', { name: 'Emulator' });
    assert.deepEqual([still.revoked, still.status], [false, 200]);
    assert.match(
      String((await rowOf(`Old key ${record!.oldKeys![0]!.maskedSecret}`)).description),
      /pending revocation since just now · still works \(200\) just now/,
    );

    emulator.deleteKey(emulator.apiKey);
    const revoked = await run<{ revoked: boolean; status: number }>('signus.verifyRevoked', { name: 'Emulator' });
    assert.deepEqual([revoked.revoked, revoked.status], [true, 401]);
    const row = await rowOf(`Old key ${record!.oldKeys![0]!.maskedSecret}`);
    assert.match(String(row.description), /^revoked \(401\) just now$/);
    assert.equal(row.contextValue, 'signusRetired.revoked', 'no Verify Revoked on a revoked key');
    assert.equal(
      await store.retiredSecret(record!.id, record!.oldKeys![0]!.fingerprint),
      undefined,
      'the old secret left SecretStorage',
    );
    const file = join(dirname(process.env.SIGNUS_KNOWN_KEYS ?? ''), 'revoked-keys.json');
    assert.ok(existsSync(file));
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(await fingerprintSecret(emulator.apiKey)), 'its fingerprint is in the revoked-keys file');
    assert.ok(!text.includes(emulator.apiKey));
    await assert.rejects(run('signus.verifyRevoked', { name: 'Emulator' }), /no old key waiting/);
    assert.equal(await run('signus.dismissOldKey', { name: 'Emulator' }), true);
    assert.ok(!(await treeText()).some((row) => row.includes('Old key')), 'the revoked row can be taken away');
    assert.ok(
      existsSync(file) && readFileSync(file, 'utf8').includes(record!.oldKeys![0]!.fingerprint),
      'the file keeps it',
    );
  });

  it('rotated twice before verifying: both old keys stay pending under the key, each verified and removed on its own', async () => {
    const { store } = await api();
    const [first, second, third] = ['twice 1', 'twice 2', 'twice 3'].map((name) =>
      emulator.createKey({ accountId: emulator.accountId, name }),
    );
    await addKey({
      name: 'Twice',
      secret: first!.secret,
      accountId: emulator.accountId,
      environment: emulator.url,
      test: false,
    });
    const rotate = (secret: string) =>
      run('signus.rotateKey', { name: 'Twice', newSecret: secret, test: false, updateEnvFiles: false });
    try {
      await rotate(second!.secret);
      await rotate(third!.secret);
      const record = store.findByName('Twice')!;
      assert.equal(await store.secret(record.id), third!.secret);
      const [mask1, mask2] = [first, second].map((k) => `sk_••••••••${k!.secret.slice(-4)}`);
      const rows = (await treeText()).filter((row) => row.includes('Old key'));
      assert.deepEqual(
        rows.map((row) => row.trim()),
        [
          `Old key ${mask2} | pending revocation since just now`,
          `Old key ${mask1} | pending revocation since just now`,
        ],
        'both old keys are pending under the key, newest first',
      );
      assert.match((await rowOf('Twice')).accessibilityInformation?.label ?? '', /2 old keys pending revocation/);
      for (const [old, mask] of [
        [first!, mask1],
        [second!, mask2],
      ] as const) {
        const entry = store.findByName('Twice')!.oldKeys!.find((o) => o.maskedSecret === mask)!;
        assert.equal(entry.fingerprint, await fingerprintSecret(old.secret));
        assert.equal(await store.retiredSecret(record.id, entry.fingerprint), old.secret, 'its secret is kept');
      }

      // The first old key is deleted in Signus; its own row's Verify Revoked gets 401, the second stays pending.
      emulator.deleteKey(first!.id);
      const firstRevoked = await run<{ revoked: boolean; status: number }>(
        'signus.verifyRevoked',
        await rowOf(`Old key ${mask1}`),
      );
      assert.deepEqual([firstRevoked.revoked, firstRevoked.status], [true, 401]);
      assert.match(String((await rowOf(`Old key ${mask1}`)).description), /^revoked \(401\) just now$/);
      assert.equal((await rowOf(`Old key ${mask2}`)).contextValue, 'signusRetired.pending');
      const secondStill = await run<{ revoked: boolean; status: number }>('signus.verifyRevoked', { name: 'Twice' });
      assert.deepEqual([secondStill.revoked, secondStill.status], [false, 200], 'the only pending one is checked');
      assert.match(String((await rowOf(`Old key ${mask2}`)).description), /still works \(200\)/);
      const pendingFingerprint = store.findByName('Twice')!.oldKeys!.find((o) => o.maskedSecret === mask2)!.fingerprint;
      await assert.rejects(
        run('signus.dismissOldKey', { name: 'Twice', fingerprint: pendingFingerprint }),
        /not listed as revoked/,
        'a pending old key stays until it is proven revoked',
      );

      assert.equal(await run('signus.dismissOldKey', await rowOf(`Old key ${mask1}`)), true);
      assert.deepEqual(
        (await treeText()).filter((row) => row.includes('Old key')).map((row) => row.trim()),
        [`Old key ${mask2} | pending revocation since just now · still works (200) just now`],
        'the revoked one left, the pending one stays',
      );
      emulator.deleteKey(second!.id);
      const secondRevoked = await run<{ revoked: boolean }>('signus.verifyRevoked', await rowOf(`Old key ${mask2}`));
      assert.equal(secondRevoked.revoked, true);
      const file = readFileSync(join(dirname(process.env.SIGNUS_KNOWN_KEYS ?? ''), 'revoked-keys.json'), 'utf8');
      for (const old of [first!, second!]) {
        assert.ok(file.includes(await fingerprintSecret(old.secret)), 'each fingerprint is in the revoked-keys file');
        assert.ok(!file.includes(old.secret));
      }
    } finally {
      await run('signus.deleteKey', { name: 'Twice', confirm: true });
    }
  });

  it('production keys: marked in words and icon, grouped first, and Copy Secret and Test ask first', async () => {
    const { store, tree, scriptModals } = await api();
    await addKey({
      name: 'Live',
      secret: emulator.otherApiKey,
      accountId: emulator.accountId,
      environment: 'production',
      test: false,
    });
    const groups = tree.getChildren().map((n) => tree.getTreeItem(n));
    assert.deepEqual(
      groups.map((g) => `${String(g.label)} | ${String(g.description)}`),
      ['Production | live · 1 key', `${new URL(emulator.url).host} | 1 key`],
      'two environments: grouped, production first',
    );
    const live = await rowOf('Live');
    assert.match(String(live.description), /production \(live\)/);
    assert.equal((live.iconPath as vscode.ThemeIcon).id, 'flame');
    assert.match(live.contextValue ?? '', /^signusKey.*\.production$/);
    assert.match(live.accessibilityInformation?.label ?? '', /^Live, production key, created just now, key ending in/);
    assert.ok(
      !(live.accessibilityInformation?.label ?? '').includes('•'),
      'no bullet characters in the accessible name',
    );
    await vscode.workspace
      .getConfiguration('signus')
      .update('keys.groupByEnvironment', 'never', vscode.ConfigurationTarget.Global);
    try {
      assert.deepEqual(
        tree.getChildren().map((n) => String(tree.getTreeItem(n).label)),
        ['Emulator', 'Live'],
      );
    } finally {
      await vscode.workspace
        .getConfiguration('signus')
        .update('keys.groupByEnvironment', undefined, vscode.ConfigurationTarget.Global);
    }

    await vscode.env.clipboard.writeText('before');
    const declined = scriptModals([undefined, undefined, undefined]);
    try {
      assert.equal(await run('signus.copySecret', { name: 'Live' }), false);
      assert.equal(await run('signus.copyEnvLine', { name: 'Live' }), false);
      assert.equal(await run('signus.testKey', { name: 'Live' }), undefined, 'no request to the live API');
      assert.equal(await vscode.env.clipboard.readText(), 'before', 'nothing copied');
      assert.deepEqual(declined.asked, [
        '"Live" is a production key. Copy its secret to the clipboard?',
        '"Live" is a production key. Copy its secret to the clipboard?',
        '"Live" is a production key. Send it to the live Signus API to test it?',
      ]);
    } finally {
      declined.end();
    }
    const agreed = scriptModals(['Copy Secret']);
    try {
      assert.equal(await run('signus.copySecret', { name: 'Live' }), true);
      assert.equal(await vscode.env.clipboard.readText(), emulator.otherApiKey);
    } finally {
      agreed.end();
      await vscode.env.clipboard.writeText('');
    }
    const emulatorKey = scriptModals([]);
    try {
      await run('signus.copySecret', { name: 'Emulator' });
      assert.deepEqual(emulatorKey.asked, [], 'a key of another environment copies without asking');
    } finally {
      emulatorKey.end();
      await vscode.env.clipboard.writeText('');
    }
    assert.ok(store.findByName('Live'));
  });

  it('Test All Keys: each row gets its result, one summary, production keys only when the user says so', async () => {
    const { store, scriptModals } = await api();
    const doomed = emulator.createKey({ accountId: emulator.accountId, name: 'doomed' });
    await addKey({
      name: 'Doomed',
      secret: doomed.secret,
      accountId: emulator.accountId,
      environment: emulator.url,
      test: false,
    });
    emulator.deleteKey(doomed.id);
    const modals = scriptModals(['Skip Production Keys']);
    let outcome;
    try {
      outcome = await run<{
        results: { name: string; verdict: string; status?: number }[];
        skipped: string[];
        summary: string;
      }>('signus.testAllKeys');
    } finally {
      modals.end();
    }
    assert.deepEqual(modals.asked, ['One key is a production key: "Live". Test it too?']);
    assert.deepEqual(
      outcome.results.map((r) => `${r.name} ${r.verdict} ${r.status}`),
      ['Doomed unauthorized 401', 'Emulator valid 200'],
    );
    assert.deepEqual(outcome.skipped, ['Live']);
    assert.equal(
      outcome.summary,
      'Tested 2 keys: 1 valid, 1 failed ("Doomed": Unauthorized (401)). Not tested: "Live".',
    );
    for (const secret of [doomed.secret, emulator.otherApiKey, emulator.apiKey])
      assert.ok(!outcome.summary.includes(secret));
    assert.equal(store.findByName('Doomed')?.lastTest?.status, 401);
    assert.match(String((await rowOf('Doomed')).description), /Unauthorized \(401\)$/);
    assert.match(String((await rowOf('Emulator')).description), /Valid \(200\)$/);
    assert.equal(store.findByName('Live')?.lastTest, undefined, 'the production key was not sent');
  });

  it('production keys: Copy cURL in the test panel asks in a modal first, stored or pasted', async () => {
    const { panel, scriptModals } = await api();
    // The live API is never reached: requests to it go to the emulator (no network in tests), anything else fails.
    const realFetch = globalThis.fetch;
    const sent: string[] = [];
    globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      sent.push(url);
      assert.ok(url.startsWith(PRODUCTION_BASE_URL), `a request to ${url}`);
      return realFetch(`${emulator.url}${url.slice(PRODUCTION_BASE_URL.length)}`, init);
    };
    await vscode.env.clipboard.writeText('before');
    try {
      for (const [subject, testArgs] of [
        ['"Live"', { name: 'Live', confirm: true }],
        ['"The pasted key"', { secret: emulator.otherApiKey, accountId: emulator.accountId }],
      ] as const) {
        await run('signus.testKey', testArgs);
        const open = panel();
        assert.ok(open?.result, 'the panel shows a result');
        assert.equal(open.result.request.url.startsWith(PRODUCTION_BASE_URL), true, 'a production request');
        const declined = scriptModals([undefined]);
        try {
          await open.onMessage({ type: 'copyCurl' });
          assert.deepEqual(declined.asked, [
            `${subject} is a production key. Copy the cURL command with the key in it?`,
          ]);
          assert.equal(await vscode.env.clipboard.readText(), 'before', 'declined: the clipboard is untouched');
        } finally {
          declined.end();
        }
        const agreed = scriptModals(['Copy cURL']);
        try {
          await open.onMessage({ type: 'copyCurl' });
          assert.equal(agreed.asked.length, 1, 'asked again');
          const curl = await vscode.env.clipboard.readText();
          assert.ok(curl.includes(`Authorization: Bearer ${emulator.otherApiKey}`), 'accepted: the exact command');
          assert.ok(curl.includes(PRODUCTION_BASE_URL));
        } finally {
          agreed.end();
          await vscode.env.clipboard.writeText('before');
        }
      }
      assert.equal(sent.length, 2, 'one test each, nothing sent by the copies');
    } finally {
      globalThis.fetch = realFetch;
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it("the key list's title bar toggles grouping by environment, writing the user setting", async () => {
    const { tree, contextValues } = await api();
    const config = () => vscode.workspace.getConfiguration('signus').inspect<string>('keys.groupByEnvironment');
    const roots = () => tree.getChildren().map((n) => String(tree.getTreeItem(n).label));
    const titleBar = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as Manifest).contributes.menus[
      'view/title'
    ]!;
    // One button at a time, as the built-in views' tree/list toggles: the context key picks which.
    assert.deepEqual(
      titleBar.filter((m) => m.command.startsWith('signus.') && /Keys(ByEnvironment|Flat)$/.test(m.command)),
      [
        {
          command: 'signus.groupKeysByEnvironment',
          when: 'view == signus.keys && !signus.keysGrouped',
          group: 'navigation@4',
        },
        { command: 'signus.listKeysFlat', when: 'view == signus.keys && signus.keysGrouped', group: 'navigation@4' },
      ],
    );
    assert.equal(config()?.globalValue, undefined);
    assert.deepEqual(roots(), ['Production', new URL(emulator.url).host], 'auto: two environments, grouped');
    assert.equal(contextValues.get('signus.keysGrouped'), true);
    try {
      assert.equal(await run('signus.listKeysFlat'), true);
      assert.equal(config()?.globalValue, 'never', 'the user setting');
      // The view itself re-reads the list on the setting's change, and the context key follows.
      await waitFor('the flat list', () => contextValues.get('signus.keysGrouped') === false);
      assert.deepEqual(roots(), ['Doomed', 'Emulator', 'Live']);
      assert.equal(await run('signus.groupKeysByEnvironment'), true);
      assert.equal(config()?.globalValue, 'always');
      await waitFor('the groups', () => contextValues.get('signus.keysGrouped') === true);
      assert.deepEqual(roots(), ['Production', new URL(emulator.url).host]);
    } finally {
      await vscode.workspace
        .getConfiguration('signus')
        .update('keys.groupByEnvironment', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
