// The GitHub Action's one step (action.yml): install the signus CLI, scan the push or pull request,
// annotate each finding, write the outputs, and fail on findings. Plain node, no dependencies: it runs
// on the runner before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;
const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
const actionPath = env.GITHUB_ACTION_PATH ?? fileURLToPath(new URL('../..', import.meta.url));

/** The CLI release that matches this copy of the action, unless the workflow names another. */
function cliSpec() {
  const given = (env.INPUT_CLI ?? '').trim();
  if (given === '') {
    const { version } = JSON.parse(readFileSync(join(actionPath, 'shared', 'package.json'), 'utf8'));
    return `@signus/cli@${version}`;
  }
  if (/\.tgz$/.test(given)) return isAbsolute(given) ? given : resolve(workspace, given);
  return given;
}

/** Splits the args input like a shell would for plain words and quoted strings (no expansion). */
export function splitArgs(text) {
  const out = [];
  for (const m of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function output(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

/** Workflow commands need %, CR and LF escaped (and , : in properties). */
const escapeData = (s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function main() {
  const spec = cliSpec();
  const prefix = mkdtempSync(join(env.RUNNER_TEMP ?? tmpdir(), 'signus-cli-'));
  console.log(`Installing ${spec} …`);
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', spec], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const signus = join(prefix, 'bin', 'signus');
  if (!existsSync(signus)) throw new Error(`${spec} did not install a "signus" command.`);

  const sarifFile = resolve(workspace, env.INPUT_SARIF_FILE || 'signus.sarif');
  const args = ['scan', '--ci', '--format', 'sarif', ...splitArgs(env.INPUT_ARGS ?? '')];
  console.log(`signus ${args.join(' ')}`);
  const run = spawnSync(signus, args, { cwd: workspace, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // signus prints the range it scanned and any notes on stderr; SARIF is on stdout.
  if (run.stderr) process.stderr.write(run.stderr);
  if (run.status !== 0 && run.status !== 1) {
    console.log(
      `::error title=Signus leak guard::signus scan failed (exit ${run.status ?? run.signal}); see the log above.`,
    );
    return 2;
  }
  writeFileSync(sarifFile, run.stdout);
  const sarif = JSON.parse(run.stdout).runs?.[0];
  const results = sarif?.results ?? [];
  // Titles and advice come from the rules signus describes in its SARIF (its one rule-metadata record).
  const rules = sarif?.tool?.driver?.rules ?? [];
  const ruleOf = (r) => rules[r.ruleIndex] ?? rules.find((d) => d.id === r.ruleId);
  for (const r of results) {
    const loc = r.locations?.[0]?.physicalLocation;
    const file = loc ? decodeURIComponent(loc.artifactLocation.uri) : undefined;
    const where = loc
      ? `file=${escapeProperty(file)},line=${loc.region?.startLine ?? 1},col=${loc.region?.startColumn ?? 1},`
      : '';
    console.log(
      `::${r.level === 'error' ? 'error' : 'warning'} ${where}title=${escapeProperty(ruleOf(r)?.shortDescription?.text ?? r.ruleId)}::${escapeData(
        [r.message.text, ruleOf(r)?.help?.text].filter(Boolean).join('\n'),
      )}`,
    );
  }
  output('findings', String(results.length));
  output('sarif-file', sarifFile);
  if (results.length === 0) {
    console.log('No Signus API keys in the scanned commits.');
    return 0;
  }
  console.log(
    `${results.length} possible Signus API key${results.length === 1 ? '' : 's'} found (SARIF: ${sarifFile}).`,
  );
  if ((env.INPUT_FAIL_ON_FINDINGS ?? 'true') === 'false') return 0;
  console.log(
    '::error title=Signus leak guard::A Signus API key was found. Delete it in Signus (Settings → Developer) if it was pushed, and remove it from the code.',
  );
  return 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.log(
      `::error title=Signus leak guard::${escapeData(error instanceof Error ? error.message : String(error))}`,
    );
    process.exitCode = 2;
  }
}
