import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src/lib/settings.js';
import { Options } from '../../src/ui/Options.js';
import { fakePlatform } from './fake-platform.js';

afterEach(cleanup);

function renderOptions(settings: Partial<Settings> = {}) {
  const platform = fakePlatform();
  render(<Options platform={platform} initial={{ ...DEFAULT_SETTINGS, ...settings }} />);
  return platform;
}

function addEnvironment(name: string, url: string) {
  fireEvent.input(screen.getByLabelText('Name'), { target: { value: name } });
  fireEvent.input(screen.getByLabelText('Base URL'), { target: { value: url } });
  fireEvent.click(screen.getByRole('button', { name: 'Add environment' }));
}

const stored = async (platform: ReturnType<typeof fakePlatform>) => (await platform.local.get<Settings>('settings'))!;

describe('options page', () => {
  it('starts with no saved environments', () => {
    renderOptions();
    expect(screen.getByText('No saved environments yet.')).toBeTruthy();
    expect((screen.getByLabelText('Emulator URL') as HTMLInputElement).value).toBe('http://127.0.0.1:4010');
    expect((screen.getByLabelText('Timeout (seconds)') as HTMLInputElement).value).toBe('10');
  });

  it('saves a loopback environment without asking for a permission', async () => {
    const platform = renderOptions();
    addEnvironment('My emulator', 'http://localhost:9000/');
    await screen.findByText('Saved My emulator.');
    expect(platform.requested).toEqual([]);
    expect((await stored(platform)).environments).toMatchObject([
      { name: 'My emulator', baseUrl: 'http://localhost:9000' },
    ]);
    expect(screen.getByRole('list', { name: 'Saved environments' }).textContent).toContain('http://localhost:9000');
  });

  it('asks for the host permission of another host and saves it when granted', async () => {
    const platform = renderOptions();
    addEnvironment('Staging', 'https://staging.example.test');
    await screen.findByText('Saved Staging.');
    expect(platform.requested).toEqual([['https://staging.example.test/*']]);
  });

  it('does not save an environment whose permission was refused, and says why', async () => {
    const platform = renderOptions();
    platform.grant = false;
    addEnvironment('Staging', 'https://staging.example.test');
    expect((await screen.findByText(/./, { selector: '#env-message.error' })).textContent).toMatch(
      /Permission to reach staging\.example\.test was refused/,
    );
    expect(await platform.local.get('settings')).toBeUndefined();
  });

  it('says when the permission cannot be asked for', async () => {
    const platform = renderOptions();
    platform.grant = new Error('This function must be called during a user gesture');
    addEnvironment('Staging', 'https://staging.example.test');
    expect((await screen.findByText(/./, { selector: '#env-message.error' })).textContent).toMatch(
      /Could not ask for permission.*user gesture/,
    );
  });

  it('names what is wrong with a new environment', async () => {
    renderOptions();
    addEnvironment('', 'https://staging.example.test');
    expect((await screen.findByText(/./, { selector: '#env-message.error' })).textContent).toMatch(
      /Give the environment a name/,
    );
    addEnvironment('Staging', 'staging.example.test');
    await waitFor(() => expect(document.getElementById('env-message')!.textContent).toMatch(/is not a URL/));
    addEnvironment('Staging', 'https://staging.example.test/?x=1');
    await waitFor(() =>
      expect(document.getElementById('env-message')!.textContent).toMatch(/must not contain a query/),
    );
  });

  it('warns before a key would travel over plain http to another machine', () => {
    renderOptions();
    fireEvent.input(screen.getByLabelText('Base URL'), { target: { value: 'http://staging.example.test' } });
    expect(screen.getByText(/sent unencrypted over http/)).toBeTruthy();
  });

  it('removes an environment', async () => {
    const platform = renderOptions({
      environments: [{ id: 'env-1', name: 'Staging', baseUrl: 'https://s.example.test' }],
    });
    fireEvent.click(screen.getByRole('button', { name: 'Remove Staging' }));
    await screen.findByText('Removed Staging.');
    expect((await stored(platform)).environments).toEqual([]);
  });

  it('saves the emulator URL and the timeout, rejecting a bad timeout', async () => {
    const platform = renderOptions();
    fireEvent.input(screen.getByLabelText('Emulator URL'), { target: { value: 'http://127.0.0.1:5555/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save emulator URL' }));
    await screen.findByText('Saved the local emulator URL.');
    expect((await stored(platform)).emulatorUrl).toBe('http://127.0.0.1:5555');

    fireEvent.input(screen.getByLabelText('Timeout (seconds)'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save timeout' }));
    await screen.findByText(/whole number of seconds from 1 to 120/);
    fireEvent.input(screen.getByLabelText('Timeout (seconds)'), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save timeout' }));
    await screen.findByText('Tests now give up after 3 s.');
    expect((await stored(platform)).timeoutSeconds).toBe(3);
  });

  it('clears the history', async () => {
    const platform = renderOptions();
    await platform.local.set('history', [{ maskedSecret: 'sk_••••••••WXYZ' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Clear history' }));
    await screen.findByText('History cleared.');
    expect(await platform.local.get('history')).toBeUndefined();
  });

  it('edits an environment in place', async () => {
    const platform = renderOptions({
      environments: [{ id: 'env-1', name: 'Staging', baseUrl: 'https://s.example.test' }],
    });
    fireEvent.click(screen.getByRole('button', { name: 'Edit Staging' }));
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Staging');
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Staging EU' } });
    fireEvent.input(screen.getByLabelText('Base URL'), { target: { value: 'https://eu.s.example.test/v1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText(/^Saved Staging EU \(Using https:\/\/eu\.s\.example\.test: /);
    expect((await stored(platform)).environments).toEqual([
      { id: 'env-1', name: 'Staging EU', baseUrl: 'https://eu.s.example.test' },
    ]);
    expect(screen.getByRole('button', { name: 'Add environment' })).toBeTruthy();
  });

  it('refuses a duplicate name or base URL, built-in ones included', async () => {
    const platform = renderOptions({
      environments: [{ id: 'env-1', name: 'Staging', baseUrl: 'https://s.example.test' }],
    });
    addEnvironment('staging', 'https://other.example.test');
    await screen.findByText(/There is already an environment named Staging/);
    addEnvironment('Second', 'https://s.example.test/');
    await screen.findByText('Staging already uses https://s.example.test.');
    addEnvironment('Prod again', 'https://api.signus.ai');
    await screen.findByText('Production already uses https://api.signus.ai.');
    expect((await stored(platform).catch(() => undefined))?.environments ?? []).toHaveLength(0);
    expect(platform.requested).toEqual([]);
  });

  it('undoes a removal', async () => {
    const environments = [
      { id: 'env-1', name: 'Staging', baseUrl: 'https://s.example.test' },
      { id: 'env-2', name: 'QA', baseUrl: 'https://qa.example.test' },
    ];
    const platform = renderOptions({ environments });
    fireEvent.click(screen.getByRole('button', { name: 'Remove Staging' }));
    await screen.findByText('Removed Staging.');
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await screen.findByText('Restored Staging.');
    expect((await stored(platform)).environments).toEqual(environments);
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('clears a stale notice as soon as a form is edited', async () => {
    renderOptions();
    fireEvent.input(screen.getByLabelText('Timeout (seconds)'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save timeout' }));
    await screen.findByText(/whole number of seconds/);
    fireEvent.input(screen.getByLabelText('Timeout (seconds)'), { target: { value: '5' } });
    expect(screen.queryByText(/whole number of seconds/)).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
