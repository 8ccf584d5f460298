// Node-only parts of the core: files, git, hooks, the known-keys file. Browser code imports '@signus/shared'.
export { defaultKnownKeysPath, readKnownKeys, writeKnownKeys } from './known-keys-file.js';
export {
  scanTree,
  DEFAULT_MAX_FILE_BYTES,
  type FileFinding,
  type TreeScanStats,
  type TreeScanOptions,
} from './scan-files.js';
export { scanStaged, readStagedFiles, type StagedScanStats, type StagedScanOptions } from './staged.js';
export { walkFiles, type WalkEntry, type WalkCounts } from './walk.js';
export {
  installHook,
  installHooks,
  uninstallHook,
  uninstallHooks,
  hookStatus,
  hookScript,
  hooksDirectory,
  HOOK_NAME,
  CHAINED_NAME,
  HookRefused,
  visiblePath,
  type HookStatus,
  type HookName,
  type InstallOptions,
} from './hook.js';
export { findProjectRoot, loadIgnoreFile, IGNORE_FILE_NAME } from './project.js';
export {
  listAllowed,
  allowFingerprint,
  removeAllowed,
  commentEntriesInText,
  withoutAllowComment,
  type AllowEntry,
  type AllowSource,
} from './allow-list.js';
export {
  openScanContext,
  openKnownKeys,
  scanDocument,
  isBaselined,
  ScanContextError,
  BASELINE_FILE_NAME,
  type ScanContext,
  type ScanLimits,
  type OpenScanContextOptions,
  type DocumentSkip,
} from './scan-context.js';
export { GitError } from './git.js';
export { runDoctor, type DoctorReport, type DoctorCheck } from './doctor.js';
export { gitFileStatus, type GitFileStatus } from './git-file-status.js';
export {
  scanHistory,
  type HistoryFinding,
  type HistoryScanResult,
  type HistorySelection,
  type HistoryStats,
} from './history/scan-history.js';
export { readFindingSource, type FindingSource } from './finding-source.js';
export {
  findIncident,
  resolveTarget,
  writeIncidentReport,
  defaultIncidentDir,
  IncidentError,
  type IncidentSession,
  type ResolvedTarget,
} from './incident/incident.js';
export {
  STEPS,
  STEP_TITLES,
  WHERE_TO_CREATE,
  WHERE_TO_DELETE,
  stepRotate,
  stepReplace,
  stepPurge,
  stepScrub,
  stepDelete,
  stepVerifyRevoked,
  stepMarkRevoked,
  type StepName,
  type ApiTarget,
} from './incident/steps.js';
export { findKeyCopies, INCIDENT_MAX_FILE_BYTES, type FindOptions, type IncidentFindings } from './incident/find.js';
export { readRevokedKeys, markRevoked, revokedKeysPath } from './revoked-keys-file.js';
