// How each language reads an environment variable, and how to put that in place of a key literal. Pure.

export const ENV_VAR = 'SIGNUS_API_KEY';

interface LanguageStyle {
  /** The expression that reads the variable. */
  read: (name: string) => string;
  /** How strings join, for a key inside a longer string; absent: no safe rewrite. */
  concat?: string;
}

const STYLES: Record<string, LanguageStyle> = {
  javascript: { read: (n) => `process.env.${n}`, concat: '+' },
  javascriptreact: { read: (n) => `process.env.${n}`, concat: '+' },
  typescript: { read: (n) => `process.env.${n}`, concat: '+' },
  typescriptreact: { read: (n) => `process.env.${n}`, concat: '+' },
  python: { read: (n) => `os.environ["${n}"]`, concat: '+' },
  ruby: { read: (n) => `ENV["${n}"]`, concat: '+' },
  go: { read: (n) => `os.Getenv("${n}")`, concat: '+' },
  java: { read: (n) => `System.getenv("${n}")`, concat: '+' },
  kotlin: { read: (n) => `System.getenv("${n}")`, concat: '+' },
  csharp: { read: (n) => `Environment.GetEnvironmentVariable("${n}")`, concat: '+' },
  php: { read: (n) => `getenv('${n}')`, concat: '.' },
  rust: { read: (n) => `std::env::var("${n}").expect("${n} is not set")` },
  shellscript: { read: (n) => `"\${${n}}"` },
  yaml: { read: (n) => `\${${n}}` },
  dockerfile: { read: (n) => `\${${n}}` },
  dockercompose: { read: (n) => `\${${n}}` },
  properties: { read: (n) => `\${${n}}` },
  ini: { read: (n) => `\${${n}}` },
  toml: { read: (n) => `\${${n}}` },
  jsonc: { read: (n) => `\${${n}}` },
  markdown: { read: (n) => `$${n}` },
  plaintext: { read: (n) => `$${n}` },
};

/** A file whose job is to hold the key: a dotenv file (`.env`, `.env.local`, `production.env`). */
export function isDotEnvFile(languageId: string, fileName: string): boolean {
  if (languageId === 'dotenv' || languageId === 'env') return true;
  const name = fileName.split(/[\\/]/).pop() ?? '';
  return /^\.env(\..+)?$/.test(name) || /\.env$/.test(name);
}

/** The expression that reads the key's variable in a language; plain `$SIGNUS_API_KEY` where we know none. */
export function envRead(languageId: string, name = ENV_VAR): string {
  return (STYLES[languageId] ?? STYLES.plaintext!).read(name);
}

export interface EnvEdit {
  /** 0-based offsets in the line. */
  start: number;
  end: number;
  text: string;
  /** Human label for the quick fix. */
  expression: string;
}

const QUOTES = `"'\``;

/**
 * Replaces a key at [start, end) in `line` with a read of `name`. A key that is the whole string literal
 * is replaced with its quotes; a key at the end or start of a longer literal becomes a concatenation;
 * an unquoted key (YAML, shell, Dockerfile) is replaced by `${NAME}`.
 */
export function envReferenceEdit(
  languageId: string,
  line: string,
  start: number,
  end: number,
  name = ENV_VAR,
): EnvEdit | undefined {
  if (languageId === 'json' || languageId === 'dotenv' || languageId === 'env') return undefined;
  const style = STYLES[languageId];
  if (!style) return undefined;
  const expr = style.read(name);
  const before = line[start - 1];
  const after = line[end];
  const quoted = before !== undefined && QUOTES.includes(before);
  if (quoted && after === before) return { start: start - 1, end: end + 1, text: expr, expression: expr };
  if (
    [
      'yaml',
      'dockerfile',
      'dockercompose',
      'properties',
      'ini',
      'toml',
      'shellscript',
      'markdown',
      'plaintext',
      'jsonc',
    ].includes(languageId)
  ) {
    const inline = `\${${name}}`;
    return {
      start,
      end,
      text: languageId === 'markdown' || languageId === 'plaintext' ? style.read(name) : inline,
      expression: inline,
    };
  }
  if (!style.concat) return undefined;
  // Inside a longer literal: find its quote, so the rewrite stays valid code.
  const open = [...line.slice(0, start)]
    .map((c, i) => (QUOTES.includes(c) ? i : -1))
    .filter((i) => i >= 0)
    .pop();
  if (open === undefined) return undefined;
  const quote = line[open] ?? '"';
  if (quote === '`' && style.read(name).startsWith('process.env')) {
    return { start, end, text: `\${${expr}}`, expression: expr };
  }
  const close = line.indexOf(quote, end);
  if (close === end) return { start, end: end + 1, text: `${quote} ${style.concat} ${expr}`, expression: expr };
  if (close < 0) return undefined;
  return { start, end, text: `${quote} ${style.concat} ${expr} ${style.concat} ${quote}`, expression: expr };
}
