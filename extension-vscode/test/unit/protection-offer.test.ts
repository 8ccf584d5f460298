import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  answerOf,
  answerStands,
  NOT_NOW_MS,
  OFFER_BUTTONS,
  offerButtons,
  offerMessage,
  repositoryName,
  type OfferSituation,
} from '../../src/commit/protection-offer.js';
import { declaresSignus, SIGNUS_DEPENDENCY_MANIFESTS, signusDependency } from '../../src/commit/signus-usage.js';

const base: OfferSituation = {
  trusted: true,
  usesSignus: true,
  answered: false,
  hookInstalled: false,
  commitCheckOn: false,
  offerHook: true,
  offerCheck: true,
};

describe('the protection offer', () => {
  it('combines the hook and the Commit-button check in one notification, with Not Now and Never', () => {
    expect(offerButtons(base)).toEqual([
      OFFER_BUTTONS.hook,
      OFFER_BUTTONS.check,
      OFFER_BUTTONS.notNow,
      OFFER_BUTTONS.never,
    ]);
  });

  it('is not made where Signus is not used, once answered, or in Restricted Mode', () => {
    expect(offerButtons({ ...base, usesSignus: false })).toBeUndefined();
    expect(offerButtons({ ...base, answered: true })).toBeUndefined();
    expect(offerButtons({ ...base, trusted: false })).toBeUndefined();
  });

  it('offers only what is missing and what the settings allow', () => {
    expect(offerButtons({ ...base, hookInstalled: true })).toEqual([
      OFFER_BUTTONS.check,
      OFFER_BUTTONS.notNow,
      OFFER_BUTTONS.never,
    ]);
    expect(offerButtons({ ...base, offerCheck: false })).toEqual([
      OFFER_BUTTONS.hook,
      OFFER_BUTTONS.notNow,
      OFFER_BUTTONS.never,
    ]);
    expect(offerButtons({ ...base, offerHook: false, commitCheckOn: true })).toBeUndefined();
    expect(offerButtons({ ...base, hookInstalled: true, offerCheck: false })).toBeUndefined();
  });

  it('records a button as an answer, and a closed notification as none', () => {
    expect(answerOf(OFFER_BUTTONS.never)).toBe('never');
    expect(answerOf(OFFER_BUTTONS.notNow)).toBe('notNow');
    expect(answerOf(OFFER_BUTTONS.hook)).toBe('hook');
    expect(answerOf(undefined)).toBeUndefined();
  });

  it('says why the repository is taken to use Signus, and what each action does, by its button', () => {
    const message = offerMessage('api', 'package.json declares a Signus package', offerButtons(base)!);
    expect(message).toBe(
      'Signus: protect api? package.json declares a Signus package. ' +
        'Install Hook: a pre-commit hook blocks a commit that adds an API key, from the terminal too. ' +
        "Turn On Check: VS Code's Commit button asks first when a staged file holds a key.",
    );
    expect(offerMessage('api', 'x', offerButtons({ ...base, hookInstalled: true })!)).not.toMatch(/pre-commit hook/);
  });

  it('has labels short enough to fit whole in a notification, each named in the message', () => {
    // A notification has room for about 45 characters of buttons: "Install Pre-commit Hook" was cut.
    const labels = Object.values(OFFER_BUTTONS);
    expect(labels.join('').length).toBeLessThanOrEqual(45);
    const message = offerMessage('api', 'x', offerButtons(base)!);
    expect(message).toContain(`${OFFER_BUTTONS.hook}:`);
    expect(message).toContain(`${OFFER_BUTTONS.check}:`);
  });

  it('names the repository by its workspace-relative name or its folder, never by an absolute path', () => {
    expect(repositoryName('packages/api')).toBe('packages/api');
    expect(repositoryName('/tmp/signus-ui-RCwlGC/workspace')).toBe('workspace');
    expect(repositoryName('/home/ana/code/api/')).toBe('api');
    expect(repositoryName('C:\\Users\\ana\\api')).toBe('api');
    expect(repositoryName('\\\\server\\share\\api')).toBe('api');
    expect(repositoryName('/')).toBe('/');
    expect(repositoryName('/tmp/a\nb')).toBe('"a\\nb"');
    expect(offerMessage('/tmp/signus-ui-RCwlGC/workspace', 'x', offerButtons(base)!)).toMatch(
      /^Signus: protect workspace\? x\. /,
    );
  });
});

describe('a Signus dependency', () => {
  const manifest = (file: string) => SIGNUS_DEPENDENCY_MANIFESTS.find((m) => m.file === file)!;
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is recognised in each manifest by the package name, not by a longer name', () => {
    const cases: [string, string, boolean][] = [
      ['package.json', '{"dependencies": {"@signus/sdk": "^1.0.0"}}', true],
      ['package.json', '{"devDependencies": {"signus": "1.2.3"}}', true],
      ['package.json', '{"dependencies": {"signus-utils": "1.0.0", "mysignus": "1"}}', false],
      ['package.json', '{"description": "works with signus"}', false],
      ['requirements.txt', 'requests==2.0\nsignus>=1.4\n', true],
      ['requirements.txt', 'signus[async]==1.0\n', true],
      ['requirements.txt', 'signus\n', true],
      ['requirements.txt', 'signus-tools==1.0\n', false],
      ['pyproject.toml', 'dependencies = ["signus>=1.0", "httpx"]\n', true],
      ['pyproject.toml', '[tool.poetry.dependencies]\nsignus = "^1.0"\n', true],
      ['pyproject.toml', 'name = "not-signus-related"\n', false],
      ['go.mod', 'module x\n\nrequire (\n\tgithub.com/signus-ai/signus-go v1.2.0\n)\n', true],
      ['go.mod', 'module x\n\nrequire github.com/acme/signus v0.3.0\n', true],
      ['go.mod', 'module github.com/acme/signusish\n', false],
      ['Gemfile', "gem 'signus', '~> 1.0'\n", true],
      ['Gemfile', "gem 'signus-rails'\n", false],
      ['composer.json', '{"require": {"signus/signus-php": "^1.0"}}', true],
      ['Cargo.toml', '[dependencies]\nsignus = "1"\n', true],
      ['Cargo.toml', '[dependencies]\nsignus-cli = "1"\n', false],
    ];
    for (const [file, text, expected] of cases)
      expect(declaresSignus(manifest(file), text), `${file}: ${text}`).toBe(expected);
  });

  it('is found at a repository root, and its absence too', async () => {
    const root = mkdtempSync(join(tmpdir(), 'signus-usage-'));
    dirs.push(root);
    expect(await signusDependency(root)).toBeUndefined();
    writeFileSync(join(root, 'package.json'), '{"dependencies": {"left-pad": "1"}}');
    expect(await signusDependency(root)).toBeUndefined();
    writeFileSync(join(root, 'requirements.txt'), 'signus==1.0\n');
    expect(await signusDependency(root)).toBe('requirements.txt');
  });
});

describe('answerStands', () => {
  const now = Date.parse('2026-12-03T09:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();
  it('keeps every answer but "Not Now" for good', () => {
    for (const answer of ['hook', 'check', 'never']) expect(answerStands(answer, ago(NOT_NOW_MS * 10), now)).toBe(true);
    expect(answerStands(undefined, ago(0), now)).toBe(false);
  });
  it('keeps "Not Now" for a week, then the offer comes back', () => {
    expect(answerStands('notNow', ago(NOT_NOW_MS - 60_000), now)).toBe(true);
    expect(answerStands('notNow', ago(NOT_NOW_MS), now)).toBe(false);
    expect(answerStands('notNow', undefined, now)).toBe(false);
    expect(answerStands('notNow', 'not a date', now)).toBe(false);
  });
});
