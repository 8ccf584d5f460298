/**
 * Where copies of a key end up outside a project's tracked files, kept as data so a new tool is one line
 * here. Home paths are relative to the home directory, `/`-separated, with `*` (one name) and `**` (any
 * depth) globs; a path is looked for only when its fixed part (before the first glob) exists.
 * Project patterns classify files met while walking a working tree.
 */
export type LocationClass =
  | 'working-tree'
  | 'git-history'
  | 'shell-history'
  | 'agent-transcript'
  | 'api-client'
  | 'vscode-settings'
  | 'file-name';

export interface HomeLocation {
  class: Exclude<LocationClass, 'working-tree' | 'git-history' | 'file-name'>;
  tool: string;
  paths: readonly string[];
  /**
   * The tool keeps this in a database or other binary file: its bytes are searched for the key's plain
   * forms anyway (a key is ASCII), but the file is never rewritten; the report says to clear it in the tool.
   */
  binary?: 'search';
}

const VSCODE_FAMILY = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'];
/** The per-user folder of each VS Code–family editor on Linux, macOS and Windows. */
const editorUserDirs = (name: string) => [
  `.config/${name}/User`,
  `Library/Application Support/${name}/User`,
  `AppData/Roaming/${name}/User`,
];
const inEditors = (rest: string, names: readonly string[] = VSCODE_FAMILY) =>
  names.flatMap((n) => editorUserDirs(n).map((d) => `${d}/${rest}`));

export const HOME_LOCATIONS: readonly HomeLocation[] = [
  { class: 'shell-history', tool: 'bash', paths: ['.bash_history'] },
  { class: 'shell-history', tool: 'zsh', paths: ['.zsh_history', '.zhistory', '.histfile', '.zsh_sessions/*'] },
  { class: 'shell-history', tool: 'fish', paths: ['.local/share/fish/fish_history', '.local/share/fish/*_history'] },
  { class: 'shell-history', tool: 'sh/ksh', paths: ['.sh_history', '.ksh_history', '.mksh_history'] },
  {
    class: 'shell-history',
    tool: 'PowerShell',
    paths: [
      '.local/share/powershell/PSReadLine/*_history.txt',
      'AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/*_history.txt',
    ],
  },
  { class: 'shell-history', tool: 'nushell', paths: ['.config/nushell/history.txt'] },
  {
    class: 'shell-history',
    tool: 'REPLs',
    paths: [
      '.node_repl_history',
      '.python_history',
      '.psql_history',
      '.mysql_history',
      '.sqlite_history',
      '.rediscli_history',
      '.irb_history',
      '.deno_history',
    ],
  },
  {
    class: 'agent-transcript',
    tool: 'Claude Code',
    paths: ['.claude/projects/**/*.jsonl', '.claude/history.jsonl', '.claude/todos/*.json', '.claude.json'],
  },
  {
    class: 'agent-transcript',
    tool: 'Codex',
    paths: ['.codex/sessions/**/*.jsonl', '.codex/history.jsonl', '.codex/log/*'],
  },
  { class: 'agent-transcript', tool: 'Gemini CLI', paths: ['.gemini/tmp/**/*.json', '.gemini/tmp/**/*.jsonl'] },
  {
    class: 'agent-transcript',
    tool: 'Aider',
    paths: ['.aider.chat.history.md', '.aider.input.history', '.aider.llm.history'],
  },
  {
    class: 'agent-transcript',
    tool: 'Continue',
    paths: ['.continue/sessions/*.json', '.continue/dev_data/**/*.jsonl', '.continue/logs/*.log'],
  },
  {
    class: 'agent-transcript',
    tool: 'Cursor',
    paths: [
      '.cursor/chats/**/*.json',
      ...inEditors('workspaceStorage/*/state.vscdb', ['Cursor']),
      ...inEditors('globalStorage/state.vscdb', ['Cursor']),
    ],
    binary: 'search',
  },
  {
    class: 'agent-transcript',
    tool: 'GitHub Copilot',
    paths: [
      ...inEditors('workspaceStorage/*/chatSessions/*.json'),
      ...inEditors('globalStorage/emptyWindowChatSessions/*.json'),
      ...VSCODE_FAMILY.map((n) => `.config/${n}/logs/**/GitHub.copilot*/*.log`),
      '.config/github-copilot/**/*.json',
    ],
  },
  {
    class: 'agent-transcript',
    tool: 'Cline / Roo Code',
    paths: [
      ...inEditors('globalStorage/saoudrizwan.claude-dev/tasks/*/*.json'),
      ...inEditors('globalStorage/rooveterinaryinc.roo-cline/tasks/*/*.json'),
    ],
  },
  { class: 'agent-transcript', tool: 'opencode', paths: ['.local/share/opencode/**/*.json'] },
  {
    class: 'api-client',
    tool: 'Thunder Client',
    paths: [...inEditors('globalStorage/rangav.vscode-thunder-client/**/*.json'), '.thunderclient/**/*.json'],
  },
  { class: 'api-client', tool: 'Postman', paths: ['Postman/**/*.json', '.postman/**/*.json'] },
  { class: 'api-client', tool: 'Bruno', paths: ['.config/bruno/**/*.json', 'bruno/**/*.bru'] },
  { class: 'api-client', tool: 'Insomnia', paths: ['.config/Insomnia/**/*.db', '.config/Insomnia/**/*.json'] },
  { class: 'api-client', tool: 'HTTPie', paths: ['.config/httpie/**/*.json', '.httpie/**/*.json'] },
  { class: 'api-client', tool: 'REST Client', paths: inEditors('globalStorage/humao.rest-client/**') },
  { class: 'vscode-settings', tool: 'VS Code', paths: inEditors('settings.json') },
  { class: 'vscode-settings', tool: 'VS Code', paths: inEditors('profiles/*/settings.json') },
];

/** Files in a working tree that belong to a class of their own (the rest is `working-tree`). */
export const PROJECT_PATTERNS: readonly { class: HomeLocation['class']; tool: string; glob: string }[] = [
  { class: 'api-client', tool: 'REST Client / JetBrains HTTP', glob: '**/*.http' },
  { class: 'api-client', tool: 'REST Client', glob: '**/*.rest' },
  { class: 'api-client', tool: 'JetBrains HTTP', glob: '**/http-client*.env.json' },
  { class: 'api-client', tool: 'Postman', glob: '**/*.postman_collection.json' },
  { class: 'api-client', tool: 'Postman', glob: '**/*.postman_environment.json' },
  { class: 'api-client', tool: 'Postman', glob: '**/*.postman_globals.json' },
  { class: 'api-client', tool: 'Thunder Client', glob: '**/thunder-tests/**' },
  { class: 'api-client', tool: 'Thunder Client', glob: '**/.thunderclient/**' },
  { class: 'api-client', tool: 'Bruno', glob: '**/*.bru' },
  { class: 'api-client', tool: 'Insomnia', glob: '**/.insomnia/**' },
  { class: 'vscode-settings', tool: 'VS Code', glob: '**/.vscode/settings.json' },
  { class: 'vscode-settings', tool: 'VS Code', glob: '**/.vscode/launch.json' },
  { class: 'vscode-settings', tool: 'VS Code', glob: '**/.vscode/tasks.json' },
  { class: 'vscode-settings', tool: 'VS Code', glob: '**/*.code-workspace' },
  { class: 'agent-transcript', tool: 'Aider', glob: '**/.aider.chat.history.md' },
  { class: 'agent-transcript', tool: 'Aider', glob: '**/.aider.input.history' },
  { class: 'agent-transcript', tool: 'Aider', glob: '**/.aider.llm.history' },
  { class: 'agent-transcript', tool: 'Claude Code', glob: '**/.claude/settings.local.json' },
];

/** Folders a working-tree walk never enters: installed packages, not the user's copies. */
export const SKIPPED_DIRECTORIES: readonly string[] = ['node_modules', '.git'];

/** `*` matches within one name, `**` any number of names (also none); everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The part of a glob before its first wildcard, cut at a `/`: the folder a search starts in. */
export function globBase(glob: string): string {
  const star = glob.indexOf('*');
  if (star === -1) return glob;
  const slash = glob.lastIndexOf('/', star);
  return slash === -1 ? '' : glob.slice(0, slash);
}

const projectMatchers = PROJECT_PATTERNS.map((p) => ({ ...p, re: globToRegExp(p.glob) }));

/** The class of a file in a working tree, by its `/`-separated path relative to the tree's root. */
export function classifyProjectFile(relative: string): { class: LocationClass; tool?: string } {
  const hit = projectMatchers.find((m) => m.re.test(relative));
  return hit ? { class: hit.class, tool: hit.tool } : { class: 'working-tree' };
}

export const CLASS_TITLES: Record<LocationClass, string> = {
  'working-tree': 'Working-tree files',
  'git-history': 'Git history',
  'shell-history': 'Shell and REPL history',
  'agent-transcript': 'AI coding-agent transcripts and logs',
  'api-client': 'API-client files',
  'vscode-settings': 'VS Code settings and launch configurations',
  'file-name': 'File names',
};
