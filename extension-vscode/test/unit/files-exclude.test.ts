import { describe, expect, it } from 'vitest';
import { parseIgnoreFile } from '@signus/shared';
import { excludeLines } from '../../src/leaks/files-exclude.js';

describe('excludeLines (files.exclude as .gitignore lines)', () => {
  it('anchors plain globs at the folder, keeps ** globs free, expands braces, drops false and when', () => {
    expect(
      excludeLines(
        {
          '**/.git': true,
          'generated/**': true,
          '**/*.{snap,min.js}': true,
          off: false,
          '**/*.js': { when: '$(basename).ts' },
        },
        '',
      ),
    ).toEqual(['**/.git', '/generated/**', '**/*.snap', '**/*.min.js']);
  });

  it('puts a folder inside the repository in front', () => {
    expect(excludeLines({ 'out/**': true, '**/tmp': true }, 'packages/app')).toEqual([
      '/packages/app/out/**',
      '/packages/app/**/tmp',
    ]);
  });

  it('matches as the Explorer hides: an excluded folder hides its files, a plain glob only at the top', () => {
    const rules = parseIgnoreFile(excludeLines({ fixtures: true, '**/*.snap': true }, '').join('\n'));
    expect(rules.isPathIgnored('fixtures/keys.ts')).toBe(true);
    expect(rules.isPathIgnored('src/fixtures/keys.ts')).toBe(false);
    expect(rules.isPathIgnored('src/a/b.snap')).toBe(true);
    expect(rules.isPathIgnored('src/a/b.ts')).toBe(false);
  });
});
