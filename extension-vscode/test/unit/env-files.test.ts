import { describe, expect, it } from 'vitest';
import { replaceSecretInEnvText } from '../../src/keys/env-files.js';

const OLD = 'sk_FAKE_old0000000000000000000001';
const NEW = 'sk_FAKE_new0000000000000000000002';

describe('replaceSecretInEnvText', () => {
  it('replaces the old key wherever it is a whole value and previews the change masked', () => {
    const text = `# keys\nSIGNUS_API_KEY=${OLD}\r\nOTHER="${OLD}"\nACCOUNT_ID=123\n`;
    const out = replaceSecretInEnvText(text, OLD, NEW);
    expect(out?.text).toBe(`# keys\nSIGNUS_API_KEY=${NEW}\r\nOTHER="${NEW}"\nACCOUNT_ID=123\n`);
    expect(out?.lines).toEqual([2, 3]);
    expect(out?.preview[0]).toBe('line 2: SIGNUS_API_KEY=sk_••••••••0001  →  SIGNUS_API_KEY=sk_••••••••0002');
    expect(out?.preview.join('\n')).not.toContain(OLD);
    expect(out?.preview.join('\n')).not.toContain(NEW);
  });
  it('leaves a longer key that merely starts with the old one alone', () => {
    expect(replaceSecretInEnvText(`KEY=${OLD}extra\n`, OLD, NEW)).toBeUndefined();
  });
  it('says when there is nothing to change', () => {
    expect(replaceSecretInEnvText('A=1\n', OLD, NEW)).toBeUndefined();
    expect(replaceSecretInEnvText('A=1\n', '', NEW)).toBeUndefined();
  });
});
