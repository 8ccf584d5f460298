// docs/benchmarks.md is written by more than one bench script: each owns a section between markers,
// and a script that rewrites the file keeps the sections it does not own.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = (name) => `<!-- bench:${name} -->`;
const END = (name) => `<!-- /bench:${name} -->`;
const SECTION = /<!-- bench:([\w-]+) -->[\s\S]*?<!-- \/bench:\1 -->\n?/g;

/** Puts `markdown` into the file as section `name`, replacing that section if it is there. */
export function writeSection(file, name, markdown) {
  const block = `${START(name)}\n${markdown.trim()}\n${END(name)}\n`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = old.indexOf(START(name));
  const next =
    at === -1
      ? `${old.trimEnd()}\n\n${block}`
      : `${old.slice(0, at)}${block}${old.slice(old.indexOf(END(name), at) + END(name).length + 1)}`;
  writeFileSync(file, next);
}

/** The sections other scripts wrote into the file, to append to a rewritten file. */
export function otherSections(file) {
  if (!existsSync(file)) return '';
  const found = readFileSync(file, 'utf8').match(SECTION) ?? [];
  return found.length ? `\n${found.join('\n')}` : '';
}
