// Replacing one key's value by another in .env files, for rotation. Pure: unit-tested.
import { maskSecret } from '@signus/shared';

export interface EnvReplacement {
  /** 1-based line numbers that change. */
  lines: number[];
  text: string;
  /** Masked before → after per changed line, to preview without showing a key. */
  preview: string[];
}

/** Every occurrence of `oldSecret` as a whole value token; undefined when there is none. */
export function replaceSecretInEnvText(text: string, oldSecret: string, newSecret: string): EnvReplacement | undefined {
  if (oldSecret === '' || !text.includes(oldSecret)) return undefined;
  const lines = text.split(/(?<=\n)/);
  const changed: number[] = [];
  const preview: string[] = [];
  const pattern = new RegExp(
    `(?<![A-Za-z0-9_-])${oldSecret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`,
    'g',
  );
  const out = lines.map((line, i) => {
    const next = line.replace(pattern, newSecret);
    if (next !== line) {
      changed.push(i + 1);
      const shown = (s: string) =>
        s
          .replace(/\r?\n$/, '')
          .split(oldSecret)
          .join(maskSecret(oldSecret))
          .split(newSecret)
          .join(maskSecret(newSecret));
      preview.push(`line ${i + 1}: ${shown(line)}  →  ${shown(next)}`);
    }
    return next;
  });
  if (changed.length === 0) return undefined;
  return { lines: changed, text: out.join(''), preview };
}
