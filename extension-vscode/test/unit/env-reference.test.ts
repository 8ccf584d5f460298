import { describe, expect, it } from 'vitest';
import { envRead, envReferenceEdit, isDotEnvFile } from '../../src/leaks/env-reference.js';

const KEY = 'sk_FAKE_0123456789abcdefghij';

function apply(languageId: string, line: string): string | undefined {
  const start = line.indexOf(KEY);
  const edit = envReferenceEdit(languageId, line, start, start + KEY.length);
  return edit && line.slice(0, edit.start) + edit.text + line.slice(edit.end);
}

describe('envReferenceEdit', () => {
  it('replaces a whole string literal, quotes included, per language', () => {
    expect(apply('typescript', `const key = '${KEY}';`)).toBe('const key = process.env.SIGNUS_API_KEY;');
    expect(apply('python', `API_KEY = "${KEY}"`)).toBe('API_KEY = os.environ["SIGNUS_API_KEY"]');
    expect(apply('go', `key := "${KEY}"`)).toBe('key := os.Getenv("SIGNUS_API_KEY")');
    expect(apply('ruby', `key = '${KEY}'`)).toBe('key = ENV["SIGNUS_API_KEY"]');
    expect(apply('csharp', `var k = "${KEY}";`)).toBe('var k = Environment.GetEnvironmentVariable("SIGNUS_API_KEY");');
    expect(apply('php', `$k = '${KEY}';`)).toBe("$k = getenv('SIGNUS_API_KEY');");
  });
  it('splits a longer literal into a concatenation', () => {
    expect(apply('javascript', `headers.Authorization = "Bearer ${KEY}";`)).toBe(
      'headers.Authorization = "Bearer " + process.env.SIGNUS_API_KEY;',
    );
    expect(apply('python', `h = "Bearer ${KEY} x"`)).toBe('h = "Bearer " + os.environ["SIGNUS_API_KEY"] + " x"');
    expect(apply('php', `$h = 'Bearer ${KEY}';`)).toBe("$h = 'Bearer ' . getenv('SIGNUS_API_KEY');");
  });
  it('interpolates inside a JavaScript template literal', () => {
    expect(apply('typescript', `const h = \`Bearer ${KEY}\`;`)).toBe(
      'const h = `Bearer ${process.env.SIGNUS_API_KEY}`;',
    );
  });
  it('uses ${SIGNUS_API_KEY} in configuration files', () => {
    expect(apply('yaml', `  api_key: ${KEY}`)).toBe('  api_key: ${SIGNUS_API_KEY}');
    expect(apply('dockerfile', `ENV SIGNUS_API_KEY=${KEY}`)).toBe('ENV SIGNUS_API_KEY=${SIGNUS_API_KEY}');
  });
  it('offers nothing where no rewrite is valid', () => {
    expect(apply('json', `{"key": "${KEY}"}`)).toBeUndefined();
    expect(apply('dotenv', `SIGNUS_API_KEY=${KEY}`)).toBeUndefined();
    expect(apply('typescript', `// ${KEY}`)).toBeUndefined();
    expect(apply('rust', `let h = "Bearer ${KEY}";`)).toBeUndefined();
  });
});

describe('isDotEnvFile and envRead', () => {
  it.each([
    ['plaintext', '/p/.env', true],
    ['plaintext', '/p/.env.local', true],
    ['plaintext', 'C:\\p\\production.env', true],
    ['dotenv', '/p/settings', true],
    ['plaintext', '/p/env.ts', false],
    ['typescript', '/p/.envrc.ts', false],
  ])('%s %s → %s', (language, file, expected) => {
    expect(isDotEnvFile(language, file)).toBe(expected);
  });

  it('reads the variable the way the language does, and plainly where it knows none', () => {
    expect(envRead('typescript')).toBe('process.env.SIGNUS_API_KEY');
    expect(envRead('ruby')).toBe('ENV["SIGNUS_API_KEY"]');
    expect(envRead('cobol')).toBe('$SIGNUS_API_KEY');
  });
});
