import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  settingId,
  TRUST_GATED_SETTINGS,
  USER_ONLY_SETTINGS,
  type SettingKey,
  type Settings,
} from '../../src/contributes.js';
import { parsePanelMessage, PANEL_BUTTONS } from '../../src/panel/messages.js';

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, { type: string; default: unknown; scope?: string }> };
  };
}
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

// The default of every setting, typed by Settings: a key missing here or in package.json fails to compile or below.
const DEFAULTS: Settings = {
  'terminal.injectEnvironment': false,
  'debug.injectEnvironment': false,
  'clipboard.clearAfterSeconds': 30,
  'scan.enabled': true,
  'scan.debounceMs': 400,
  'scan.maxFileBytes': 5_242_880,
  'commit.offerHook': true,
  'commit.watchStaged': true,
  'commit.offerDiagnosticsHook': true,
  'knownKeys.sync': true,
  'knownKeys.path': '',
  requestTimeoutMs: 15000,
  developerSettingsUrl: 'https://app.signus.ai/settings/developer',
  'keys.groupByEnvironment': 'auto',
};

describe('typed contributions agree with package.json', () => {
  it('has exactly the commands package.json contributes', () => {
    expect(Object.values(COMMANDS).sort()).toEqual(manifest.contributes.commands.map((c) => c.command).sort());
  });

  it('has exactly the settings package.json contributes, with their types and defaults', () => {
    const keys = Object.keys(DEFAULTS) as SettingKey[];
    expect(keys.map(settingId).sort()).toEqual(Object.keys(properties).sort());
    for (const key of keys) {
      const declared = properties[settingId(key)];
      expect(declared?.default, key).toEqual(DEFAULTS[key]);
      expect(declared?.type, key).toBe(typeof DEFAULTS[key]);
    }
  });
});

describe('what a repository cannot set', () => {
  it('keeps file paths, terminal injection and the settings link out of workspace settings', () => {
    for (const key of USER_ONLY_SETTINGS) {
      expect(['machine', 'application'], key).toContain(properties[settingId(key)]?.scope);
    }
    expect(USER_ONLY_SETTINGS).toEqual(
      expect.arrayContaining(['knownKeys.path', 'terminal.injectEnvironment', 'developerSettingsUrl']),
    );
  });

  it('declares every protected setting as restricted in untrusted workspaces', () => {
    const { untrustedWorkspaces } = manifest.capabilities;
    expect(untrustedWorkspaces.supported).toBe('limited');
    expect([...untrustedWorkspaces.restrictedConfigurations].sort()).toEqual(
      [...USER_ONLY_SETTINGS, ...TRUST_GATED_SETTINGS].map(settingId).sort(),
    );
    expect(TRUST_GATED_SETTINGS).toContain('scan.enabled');
  });
});

describe('webview messages', () => {
  it('accepts only the known message types', () => {
    for (const [, type] of PANEL_BUTTONS) expect(parsePanelMessage({ type })).toEqual({ type });
    for (const bad of [null, 'rerun', {}, { type: 'openExternal' }, { type: 1 }]) {
      expect(parsePanelMessage(bad)).toBeUndefined();
    }
  });

  it('drops anything else a message carries', () => {
    expect(parsePanelMessage({ type: 'copyCurl', url: 'https://example.invalid' })).toEqual({ type: 'copyCurl' });
  });
});
