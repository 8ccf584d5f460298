import { parseBaseUrl } from '@signus/shared';
import { useState } from 'preact/hooks';
import { grantedByManifest, hostOf, originPattern } from '../lib/origins.js';
import type { OptionsPlatform } from '../lib/platform.js';
import {
  allEnvironments,
  clearHistory,
  newEnvironmentId,
  saveSettings,
  type Environment,
  type Settings,
} from '../lib/settings.js';
import { FieldMessage } from './FieldMessage.js';
import { PasteGuardOptions } from './PasteGuardOptions.js';

interface Props {
  platform: OptionsPlatform;
  initial: Settings;
}

/** `undo`: what the notice's Undo button does (after a removal). */
type Notice = { kind: 'ok' | 'error'; text: string; undo?: () => void } | undefined;

/** Another environment with the same name or base URL, built-in ones included: two would be one too many. */
function duplicateOf(environments: Environment[], name: string, baseUrl: string, except?: string): string | undefined {
  const clash = environments.find(
    (env) => env.id !== except && (env.name.toLowerCase() === name.toLowerCase() || env.baseUrl === baseUrl),
  );
  if (!clash) return undefined;
  return clash.name.toLowerCase() === name.toLowerCase()
    ? `There is already an environment named ${clash.name}. Choose another name.`
    : `${clash.name} already uses ${baseUrl}.`;
}

/**
 * Asks for the host permission a base URL needs (none for production and loopback hosts).
 * Called straight from a click, before any other await, so the browser shows its prompt.
 */
async function ensureHostPermission(platform: OptionsPlatform, baseUrl: string): Promise<string | undefined> {
  if (grantedByManifest(baseUrl)) return undefined;
  const host = hostOf(baseUrl);
  try {
    if (await platform.requestOrigins([originPattern(baseUrl)])) return undefined;
  } catch (error) {
    return `Could not ask for permission to reach ${host}: ${error instanceof Error ? error.message : String(error)}.`;
  }
  return `Permission to reach ${host} was refused, so it was not saved: the browser would block every test against it. Save again and choose Allow.`;
}

export function Options({ platform, initial }: Props) {
  const [settings, setSettings] = useState(initial);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [addProblem, setAddProblem] = useState<string>();
  const [emulatorUrl, setEmulatorUrl] = useState(initial.emulatorUrl);
  const [timeout, setTimeoutText] = useState(String(initial.timeoutSeconds));
  const [notice, setNotice] = useState<Notice>();
  /** The saved environment the form is editing, if any. */
  const [editing, setEditing] = useState<string>();

  const save = async (patch: Partial<Settings>, text: string) => {
    setSettings(await saveSettings(platform, patch));
    setNotice({ kind: 'ok', text });
  };

  const onAdd = async (event: Event) => {
    event.preventDefault();
    const trimmedName = name.trim();
    const parsed = parseBaseUrl(url);
    if (trimmedName === '') return setAddProblem('Give the environment a name, e.g. Staging.');
    if (url.trim() === '') return setAddProblem('Enter the base URL, e.g. https://staging.example.com.');
    if (!parsed.baseUrl) return setAddProblem(parsed.problem?.message);
    const duplicate = duplicateOf(allEnvironments(settings), trimmedName, parsed.baseUrl, editing);
    if (duplicate) return setAddProblem(duplicate);
    const refused = await ensureHostPermission(platform, parsed.baseUrl);
    if (refused) return setAddProblem(refused);
    setAddProblem(undefined);
    const environment: Environment = { id: editing ?? newEnvironmentId(), name: trimmedName, baseUrl: parsed.baseUrl };
    const environments = editing
      ? settings.environments.map((env) => (env.id === editing ? environment : env))
      : [...settings.environments, environment];
    await save({ environments }, `Saved ${trimmedName}${parsed.note ? ` (${parsed.note})` : ''}.`);
    setEditing(undefined);
    setName('');
    setUrl('');
  };

  const onEdit = (env: Environment) => {
    setEditing(env.id);
    setName(env.name);
    setUrl(env.baseUrl);
    setAddProblem(undefined);
    setNotice(undefined);
    document.getElementById('env-name')?.focus();
  };

  const onCancelEdit = () => {
    setEditing(undefined);
    setName('');
    setUrl('');
    setAddProblem(undefined);
  };

  const onRemove = async (env: Environment) => {
    const before = settings.environments;
    if (editing === env.id) onCancelEdit();
    setSettings(await saveSettings(platform, { environments: before.filter((e) => e.id !== env.id) }));
    setNotice({
      kind: 'ok',
      text: `Removed ${env.name}.`,
      // Put back where it was, unless the list changed since.
      undo: () =>
        void saveSettings(platform, { environments: before }).then((next) => {
          setSettings(next);
          setNotice({ kind: 'ok', text: `Restored ${env.name}.` });
        }),
    });
  };

  /** Typing in a form makes an earlier "Saved…" or error stale. */
  const edited = () => {
    if (notice) setNotice(undefined);
  };

  const onSaveEmulator = async (event: Event) => {
    event.preventDefault();
    const parsed = parseBaseUrl(emulatorUrl);
    if (emulatorUrl.trim() === '' || !parsed.baseUrl) {
      return setNotice({ kind: 'error', text: parsed.problem?.message ?? 'Enter the emulator URL.' });
    }
    const refused = await ensureHostPermission(platform, parsed.baseUrl);
    if (refused) return setNotice({ kind: 'error', text: refused });
    setEmulatorUrl(parsed.baseUrl);
    await save({ emulatorUrl: parsed.baseUrl }, 'Saved the local emulator URL.');
  };

  const onSaveTimeout = async (event: Event) => {
    event.preventDefault();
    const seconds = Number(timeout);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 120) {
      return setNotice({ kind: 'error', text: 'The timeout is a whole number of seconds from 1 to 120.' });
    }
    await save({ timeoutSeconds: seconds }, `Tests now give up after ${seconds} s.`);
  };

  const typed = url.trim() !== '' ? parseBaseUrl(url) : undefined;
  const urlWarning = typed?.warning;
  const urlNote = typed?.note;

  return (
    <main class="options">
      <h1>Signus key tester — options</h1>
      <div class="notice-row">
        <p role="status" class={`notice ${notice?.kind ?? ''}`}>
          {notice?.text ?? ''}
        </p>
        {notice?.undo ? (
          <button type="button" onClick={notice.undo}>
            Undo
          </button>
        ) : null}
      </div>

      <section aria-labelledby="envs-title">
        <h2 id="envs-title">Environments</h2>
        <p class="muted">
          Production and the local emulator are always there. Another host is asked for permission when you add it.
        </p>
        {settings.environments.length === 0 ? (
          <p class="muted">No saved environments yet.</p>
        ) : (
          <ul class="envs" aria-label="Saved environments">
            {settings.environments.map((env) => (
              <li key={env.id}>
                <strong>{env.name}</strong>
                <code>{env.baseUrl}</code>
                <span class="buttons">
                  <button type="button" aria-label={`Edit ${env.name}`} onClick={() => onEdit(env)}>
                    Edit
                  </button>
                  <button type="button" aria-label={`Remove ${env.name}`} onClick={() => void onRemove(env)}>
                    Remove
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={(e) => void onAdd(e)} noValidate class="add">
          <div class="field">
            <label for="env-name">Name</label>
            <input
              id="env-name"
              value={name}
              onInput={(e) => {
                setName(e.currentTarget.value);
                setAddProblem(undefined);
                edited();
              }}
            />
          </div>
          <div class="field">
            <label for="env-url">Base URL</label>
            <input
              id="env-url"
              type="url"
              value={url}
              placeholder="https://staging.example.com"
              spellcheck={false}
              aria-invalid={addProblem ? 'true' : 'false'}
              aria-describedby={addProblem || urlWarning || urlNote ? 'env-message' : undefined}
              onInput={(e) => {
                setUrl(e.currentTarget.value);
                setAddProblem(undefined);
                edited();
              }}
            />
          </div>
          <span class="buttons">
            <button type="submit">{editing ? 'Save changes' : 'Add environment'}</button>
            {editing ? (
              <button type="button" onClick={onCancelEdit}>
                Cancel
              </button>
            ) : null}
          </span>
          <FieldMessage
            id="env-message"
            text={addProblem ?? urlWarning ?? urlNote}
            kind={addProblem ? 'error' : urlWarning ? 'warning' : 'note'}
          />
        </form>
      </section>

      <section aria-labelledby="emulator-title">
        <h2 id="emulator-title">Local emulator</h2>
        <form onSubmit={(e) => void onSaveEmulator(e)} noValidate class="inline">
          <div class="field">
            <label for="emulator-url">Emulator URL</label>
            <input
              id="emulator-url"
              type="url"
              value={emulatorUrl}
              spellcheck={false}
              onInput={(e) => {
                setEmulatorUrl(e.currentTarget.value);
                edited();
              }}
            />
          </div>
          <button type="submit">Save emulator URL</button>
        </form>
        <p class="muted">
          Start it with <code>pnpm emulator --port 4010</code>.
        </p>
      </section>

      <section aria-labelledby="timeout-title">
        <h2 id="timeout-title">Timeout</h2>
        <form onSubmit={(e) => void onSaveTimeout(e)} noValidate class="inline">
          <div class="field">
            <label for="timeout">Timeout (seconds)</label>
            <input
              id="timeout"
              type="number"
              min={1}
              max={120}
              value={timeout}
              onInput={(e) => {
                setTimeoutText(e.currentTarget.value);
                edited();
              }}
            />
          </div>
          <button type="submit">Save timeout</button>
        </form>
      </section>

      <PasteGuardOptions platform={platform} environments={settings.environments} />

      <section aria-labelledby="privacy-title">
        <h2 id="privacy-title">Privacy</h2>
        <p class="muted">
          Keys are never stored unless you tick “Remember the key until the browser closes”, and then only in session
          memory. The history keeps masked keys only.
        </p>
        <button
          type="button"
          onClick={() => void clearHistory(platform).then(() => setNotice({ kind: 'ok', text: 'History cleared.' }))}
        >
          Clear history
        </button>
      </section>
    </main>
  );
}
