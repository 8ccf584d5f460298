import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import { answerStep, api, clearKeys, run, stepBack, stepEscape, stepShowing } from './helpers.js';

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
});
