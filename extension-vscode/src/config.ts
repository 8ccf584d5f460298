// Reads `signus.*` settings so that a repository cannot turn the extension against its user: a folder's
// .vscode/settings.json is honoured only where it is harmless, or where the user trusts the folder.
import * as vscode from 'vscode';
import {
  SETTINGS_SECTION,
  settingId,
  TRUST_GATED_SETTINGS,
  USER_ONLY_SETTINGS,
  type SettingKey,
  type Settings,
} from './contributes.js';

export { settingId };

/**
 * The value in effect. User-only settings take the user's value or the default, never a workspace's; settings
 * that weaken protection do the same while the workspace is untrusted. VS Code already drops workspace values
 * of `restrictedConfigurations` in Restricted Mode and of machine-scoped settings everywhere; reading through
 * `inspect()` keeps that promise even where a host (or a future VS Code) does not.
 */
export function setting<K extends SettingKey>(key: K): Settings[K] {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const userOnly = USER_ONLY_SETTINGS.includes(key);
  if (!userOnly && (vscode.workspace.isTrusted || !TRUST_GATED_SETTINGS.includes(key))) {
    return config.get<Settings[K]>(key) as Settings[K];
  }
  const inspected = config.inspect<Settings[K]>(key);
  return (inspected?.globalValue ?? inspected?.defaultValue) as Settings[K];
}

export function affects(event: vscode.ConfigurationChangeEvent, key: SettingKey | 'scan'): boolean {
  return event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`);
}
