import { describe, expect, it } from 'vitest';
import { protectionOf, statusLook, type CheckLike } from '../../src/commit/protection-state.js';

const ok = (id: string, detail = id): CheckLike => ({ id, ok: true, detail });
const bad = (id: string, fix = `fix ${id}`): CheckLike => ({ id, ok: false, detail: `${id} failed`, fix });
const info: CheckLike = { id: 'hooks-dir', ok: true, info: true, detail: 'git reads hooks from .git/hooks' };

describe("the protection state from signus doctor's checks", () => {
  it('is protected when every pre-commit check passes (pre-push checks aside)', () => {
    const checks = [info, ok('hook-present'), ok('hook-executable'), ok('hook-calls-signus'), ok('hook-runnable')];
    expect(protectionOf([...checks, bad('pre-push-present')])).toEqual({ state: 'protected' });
  });

  it('is missing without a hook, or with a hook that does not call signus', () => {
    expect(protectionOf([info, bad('hook-present')]).state).toBe('missing');
    expect(protectionOf([ok('hook-present'), ok('hook-executable'), bad('hook-calls-signus')])).toMatchObject({
      state: 'missing',
      problem: { id: 'hook-calls-signus' },
    });
  });

  it('is broken when installed but not executable, its CLI gone, or signus not on PATH', () => {
    for (const id of ['hook-executable', 'hook-runnable', 'hook-cli-on-path']) {
      const checks = [ok('hook-present'), ok('hook-calls-signus'), bad(id)];
      expect(protectionOf(checks)).toMatchObject({ state: 'broken', problem: { id, fix: `fix ${id}` } });
    }
  });

  it('gives each state its text, and a warning colour only when broken', () => {
    expect(statusLook('app', { state: 'protected' })).toMatchObject({
      text: '$(shield) Signus: protected',
      warning: false,
    });
    expect(statusLook('app', { state: 'missing' })).toMatchObject({
      text: '$(circle-slash) Signus: no hook',
      warning: false,
    });
    const broken = statusLook('app', { state: 'broken', problem: bad('hook-cli-on-path', 'put signus on PATH') });
    expect(broken).toMatchObject({ text: '$(warning) Signus: hook broken', warning: true });
    expect(broken.tooltip).toContain('Fix: put signus on PATH.');
  });
});
