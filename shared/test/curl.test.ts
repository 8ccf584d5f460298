import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCurl, curlArgs, quoteCmd, quotePowerShell, type CurlRequest } from '../src/index.js';

const KEY = 'sk_FAKE_test_0123456789abcdefWXYZ';

// Awkward inputs: every one must reach curl exactly as given.
const AWKWARD = [
  "it's",
  'say "hi"',
  'a b  c',
  '$HOME $(whoami) `id` ${PATH}',
  'line1\nline2',
  'tab\there',
  'back\\slash\\',
  '!bang !! ^caret %PATH% &amp; | < > ( ) ;',
  'ünïcødé 🚀 日本',
  '*?[glob]~',
  '',
  "'",
  '\'\'""',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signus-curl-'));
  // A stand-in curl that prints the arguments it received, NUL-separated.
  writeFileSync(join(dir, 'curl'), '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done\n');
  chmodSync(join(dir, 'curl'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runThroughShell(shell: string, command: string): string[] {
  const args = shell === 'bash' ? ['--norc', '--noprofile', '-c', command] : ['-c', command];
  const out = execFileSync(shell, args, {
    env: { PATH: `${dir}:/usr/bin:/bin` },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\0').slice(0, -1);
}

describe('buildCurl for POSIX shells', () => {
  const requests: CurlRequest[] = [
    {
      method: 'GET',
      url: 'https://api.signus.ai/v1/accounts/123e4567-e89b-12d3-a456-426614174000/templates?pageIndex=0&pageSize=5',
      secret: KEY,
    },
    ...AWKWARD.map((value) => ({
      method: 'POST',
      url: `http://127.0.0.1:8080/v1/accounts/${value}`,
      secret: KEY,
      headers: [['X-Note', value] as const],
    })),
  ];

  for (const shell of ['sh', 'bash']) {
    it.each(requests.map((r) => [JSON.stringify(r.url).slice(0, 60), r] as const))(
      `round-trips through a real ${shell}: %s`,
      (_label, request) => {
        const command = buildCurl(request, { reveal: true });
        expect(runThroughShell(shell, command)).toEqual(curlArgs(request, true));
      },
    );
  }

  it('masks the secret unless asked to reveal it', () => {
    const request = { method: 'GET', url: 'https://api.signus.ai/x', secret: KEY };
    expect(buildCurl(request)).not.toContain(KEY);
    expect(buildCurl(request)).toContain("'Authorization: Bearer sk_••••••••WXYZ'");
    expect(buildCurl(request, { reveal: true })).toContain(`'Authorization: Bearer ${KEY}'`);
  });

  it('writes the documented form of the key test', () => {
    const url =
      'https://api.signus.ai/v1/accounts/123e4567-e89b-12d3-a456-426614174000/templates?pageIndex=0&pageSize=5';
    expect(buildCurl({ method: 'GET', url, secret: KEY }, { reveal: true })).toBe(
      `curl '${url}' -H 'Authorization: Bearer ${KEY}'`,
    );
  });
});

/** PowerShell's rule for single-quoted strings: literal, with each quote character doubled. */
function parsePowerShellSingleQuoted(token: string): string {
  if (!token.startsWith("'")) return token;
  expect(token.endsWith("'")).toBe(true);
  return token.slice(1, -1).replace(/(['‘’‚‛])\1/g, '$1');
}

describe('buildCurl for Windows', () => {
  it('uses curl.exe in PowerShell, where curl is an alias of Invoke-WebRequest', () => {
    expect(buildCurl({ method: 'GET', url: 'https://api.signus.ai/x', secret: KEY }, { shell: 'powershell' })).toMatch(
      /^curl\.exe /,
    );
  });

  it.each(AWKWARD)('PowerShell single quotes keep %j literal', (value) => {
    const quoted = quotePowerShell(value);
    expect(parsePowerShellSingleQuoted(quoted)).toBe(value);
    // Nothing PowerShell expands inside single quotes, so `$` and backticks stay as they are.
    if (value.includes('$')) expect(quoted.startsWith("'")).toBe(true);
  });

  it('escapes what cmd.exe would interpret', () => {
    expect(quoteCmd('simple')).toBe('simple');
    expect(quoteCmd('a&b')).toBe('^"a^&b^"');
    expect(quoteCmd('%PATH%')).toBe('^"%^PATH%^"');
    expect(quoteCmd('say "hi"')).toBe('^"say \\^"hi\\^"^"');
    expect(quoteCmd('x\\')).toBe('^"x\\\\^"');
    expect(quoteCmd('a\nb')).toBe('^"a^\n\nb^"');
    expect(quoteCmd('!x | y')).toBe('^"^!x ^| y^"');
  });
});
