// Builds the benchmark's tree: the workspace's own installed third-party packages, copied (so the
// numbers are real code on any machine), with fake keys planted at recorded places.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function fakeKey() {
  let body = '';
  for (const b of randomBytes(32)) body += ALPHABET[b % ALPHABET.length];
  return `sk_TEST_${body}`;
}

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** The same forms as knownKeyFingerprints() in @signus/shared. */
export function knownKeysFile(key, label) {
  const base64 = Buffer.from(key).toString('base64');
  const forms = new Set([
    key,
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(key).toString('base64url'),
    encodeURIComponent(key),
    JSON.stringify(key).slice(1, -1),
  ]);
  return `${JSON.stringify({ version: 1, keys: [{ label, fingerprints: [...forms].map(sha256) }] }, null, 2)}\n`;
}

/** Regular files under node_modules/.pnpm, sorted, skipping links; `pkg@1.0.0/node_modules/pkg/x` → `pkg@1.0.0/pkg/x`. */
function listPackageFiles(pnpmDir, maxFileBytes) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const size = statSync(path).size;
        if (size <= maxFileBytes)
          out.push({ path, size, rel: relative(pnpmDir, path).split('/node_modules/').join('/') });
      }
    }
  };
  walk(pnpmDir);
  return out;
}

const isText = (buf) => buf.subarray(0, 8000).indexOf(0) === -1;

/**
 * Copies up to `maxBytes` of package files into `dest` (each package taken whole, in name order),
 * so every tool sees the same tree. Returns what was copied.
 */
export function copyPackages(pnpmDir, dest, maxBytes, maxFileBytes) {
  const files = listPackageFiles(pnpmDir, maxFileBytes);
  let bytes = 0;
  const copied = [];
  for (const f of files) {
    if (bytes + f.size > maxBytes) break;
    const target = join(dest, f.rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(f.path, target);
    bytes += f.size;
    copied.push(f.rel);
  }
  return { files: copied, bytes };
}

const FORMS = {
  '.js': (k) => `const SIGNUS_API_KEY = "${k}";`,
  '.mjs': (k) => `export const apiKey = '${k}';`,
  '.cjs': (k) => `module.exports.key = "${k}";`,
  '.ts': (k) => `const headers = { Authorization: \`Bearer ${k}\` };`,
  '.json': (k) => `"signusApiKey": "${k}",`,
  '.md': (k) => `curl -H "Authorization: Bearer ${k}" https://api.signus.ai/v1/accounts/$ID/templates`,
  '.yml': (k) => `signus_api_key: ${k}`,
  '.yaml': (k) => `signus_api_key: ${k}`,
};

/**
 * Plants `count` plain keys and `knownCount` base64-encoded copies of `knownKey`, each as a new line
 * in a different text file, spread evenly; returns where each is (1-based line).
 */
export function plantKeys(dest, files, count, knownKey, knownCount) {
  const candidates = files.filter((f) => Object.keys(FORMS).some((ext) => f.endsWith(ext)) && !f.endsWith('.d.ts'));
  const total = count + knownCount;
  const step = Math.max(1, Math.floor(candidates.length / total));
  const planted = [];
  for (let i = 0; i < total && i * step < candidates.length; i++) {
    const rel = candidates[i * step];
    const path = join(dest, rel);
    const buf = readFileSync(path);
    if (!isText(buf)) continue;
    const lines = buf.toString('utf8').split('\n');
    const at = Math.floor(lines.length / 2);
    const ext = Object.keys(FORMS).find((e) => rel.endsWith(e));
    const known = i >= count;
    const line = known ? `signusAuth: ${Buffer.from(knownKey).toString('base64')}` : FORMS[ext](fakeKey());
    lines.splice(at, 0, line);
    writeFileSync(path, lines.join('\n'));
    planted.push({ path: rel, line: at + 1, known });
  }
  return planted;
}

/** A git environment for bench repositories: no system or user config, a fixed author, HOME in the scratch dir. */
export const gitEnv = (home) => ({
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@example.test',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@example.test',
});
