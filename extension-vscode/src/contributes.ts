// The ids this extension contributes in package.json, typed, so a misspelt command or setting is a compile
// error instead of a silent no-op. test/unit/contributes.test.ts checks that this file and package.json agree.
// No `vscode` import: the unit test reads it without an extension host.

export const COMMANDS = {
  addKey: 'signus.addKey',
  testKey: 'signus.testKey',
  copySecret: 'signus.copySecret',
  copyEnvLine: 'signus.copyEnvLine',
  renameKey: 'signus.renameKey',
  setActiveKey: 'signus.setActiveKey',
  switchActiveKey: 'signus.switchActiveKey',
  deleteKey: 'signus.deleteKey',
  rotateKey: 'signus.rotateKey',
  verifyRevoked: 'signus.verifyRevoked',
  testAllKeys: 'signus.testAllKeys',
  groupKeysByEnvironment: 'signus.groupKeysByEnvironment',
  listKeysFlat: 'signus.listKeysFlat',
  dismissOldKey: 'signus.dismissOldKey',
  respondToLeak: 'signus.respondToLeak',
  scanWorkspace: 'signus.scanWorkspace',
  installHook: 'signus.installHook',
  enableCommitCheck: 'signus.enableCommitCheck',
  checkProtection: 'signus.checkProtection',
  unstageFile: 'signus.unstageFile',
  replaceStagedKey: 'signus.replaceStagedKey',
  syncKnownKeys: 'signus.syncKnownKeys',
  allowKey: 'signus.allowKey',
  manageAllowed: 'signus.manageAllowed',
  storeAndReplace: 'signus.storeAndReplace',
  showLog: 'signus.showLog',
  insertKeyReference: 'signus.insertKeyReference',
  checkEnvFile: 'signus.checkEnvFile',
  launchAccountId: 'signus.launchAccountId',
  launchBaseUrl: 'signus.launchBaseUrl',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Every `signus.*` setting and the type of its value. Keys are relative to the `signus` section. */
export interface Settings {
  'terminal.injectEnvironment': boolean;
  'debug.injectEnvironment': boolean;
  'clipboard.clearAfterSeconds': number;
  'scan.enabled': boolean;
  'scan.debounceMs': number;
  'scan.maxFileBytes': number;
  'commit.offerHook': boolean;
  'commit.watchStaged': boolean;
  'commit.offerDiagnosticsHook': boolean;
  'knownKeys.sync': boolean;
  'knownKeys.path': string;
  requestTimeoutMs: number;
  developerSettingsUrl: string;
  'keys.groupByEnvironment': 'auto' | 'always' | 'never';
}

export type SettingKey = keyof Settings;

export const SETTINGS_SECTION = 'signus';

/**
 * Settings a repository must never set: where a file is written, whether a key goes into terminals, which page
 * opens as "Signus". They are `machine`/`application` scoped in package.json, and the accessor reads only the
 * user's own values, trusted workspace or not.
 */
export const USER_ONLY_SETTINGS: readonly SettingKey[] = [
  'terminal.injectEnvironment',
  'debug.injectEnvironment',
  'knownKeys.path',
  'developerSettingsUrl',
];

/**
 * Settings that weaken protection. A trusted workspace may set them (a team can tune its scan); an untrusted
 * one may not: they are `restrictedConfigurations`, and the accessor ignores workspace values in Restricted Mode.
 */
export const TRUST_GATED_SETTINGS: readonly SettingKey[] = [
  'clipboard.clearAfterSeconds',
  'scan.enabled',
  'scan.maxFileBytes',
  'commit.watchStaged',
  'commit.offerHook',
  'commit.offerDiagnosticsHook',
  'knownKeys.sync',
];

/** `signus.x.y` for a key, as package.json and `affectsConfiguration` spell it. */
export function settingId(key: SettingKey): `signus.${SettingKey}` {
  return `${SETTINGS_SECTION}.${key}`;
}
