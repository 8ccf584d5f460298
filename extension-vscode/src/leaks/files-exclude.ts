// VS Code's `files.exclude` globs as .gitignore lines, so Scan Workspace skips what the Explorer hides,
// with the same matcher as .signusignore. Pure: no vscode import, unit-tested.

/** `{a,b}` alternatives spelled out: .gitignore has no braces. */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  const close = open === -1 ? -1 : glob.indexOf('}', open);
  if (close === -1) return [glob];
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  return glob
    .slice(open + 1, close)
    .split(',')
    .flatMap((alt) => expandBraces(`${head}${alt}${tail}`));
}

/**
 * One .gitignore line per excluded glob (value `true`; a `when` condition depends on sibling files and is
 * left out). A VS Code glob is relative to the workspace folder, which sits at `prefix` inside the project
 * root: a glob that does not start with `**` is anchored there.
 */
export function excludeLines(exclude: Record<string, unknown>, prefix: string): string[] {
  const lines: string[] = [];
  const base = prefix === '' ? '' : `${prefix.replace(/\/+$/, '')}/`;
  for (const [glob, on] of Object.entries(exclude)) {
    if (on !== true) continue;
    for (const one of expandBraces(glob.trim().replace(/^\.\//, ''))) {
      if (one === '' || one.startsWith('#') || one.startsWith('!')) continue;
      lines.push(
        one.startsWith('**/') ? `${base === '' ? '' : `/${base}`}${one}` : `/${base}${one.replace(/^\//, '')}`,
      );
    }
  }
  return lines;
}
