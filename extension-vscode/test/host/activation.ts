import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID } from './helpers.js';

describe('activation', () => {
  it('activates and registers every command it contributes, in the Signus category', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const testApi = await api();
    assert.equal(extension.isActive, true);
    const contributed = (
      extension.packageJSON as { contributes: { commands: { command: string; category: string }[] } }
    ).contributes.commands;
    assert.ok(contributed.length >= 15);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of contributed) {
      assert.ok(registered.has(c.command), `${c.command} is registered`);
      assert.equal(c.category, 'Signus', `${c.command} is in the Signus category`);
    }
    assert.ok(testApi.activatedInMs < 1000, `activation took ${testApi.activatedInMs} ms`);
    // For scripts/bench.mjs, which reports it beside its own measurement.
    const runDir = process.env.SIGNUS_TEST_RUN_DIR;
    if (runDir)
      writeFileSync(join(runDir, 'activation.json'), JSON.stringify({ activatedInMs: testApi.activatedInMs }));
  });

  it('shows the key list view with its welcome content while empty', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.signus');
    const { store, contextValues } = await api();
    assert.equal(store.list().length, 0);
    assert.equal(contextValues.get('signus.hasKey'), false, 'the walkthrough step "Add your API key" is not done');
    assert.equal(contextValues.get('signus.keyTested'), false);
  });

  it('the walkthrough ticks a step when it is done (a context key), never when a command merely starts', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const [walkthrough] = (
      extension.packageJSON as {
        contributes: { walkthroughs: { steps: { id: string; completionEvents: string[] }[] }[] };
      }
    ).contributes.walkthroughs;
    assert.ok(walkthrough);
    assert.deepEqual(
      walkthrough.steps.map((s) => [s.id, s.completionEvents]),
      [
        ['add', ['onContext:signus.hasKey']],
        ['test', ['onContext:signus.keyTested']],
        ['guard', ['onContext:signus.hookInstalled']],
      ],
    );
  });
});
