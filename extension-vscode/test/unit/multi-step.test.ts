import { describe, expect, it } from 'vitest';
import { runSteps, type FlowStep, type StepPosition, type StepResult } from '../../src/commands/multi-step.js';

interface State {
  name?: string;
  env?: string;
  url?: string;
  test?: boolean;
}

/** Steps that answer from a script and record what each one was shown. */
function scripted(script: [string, StepResult, string?][], given: State = {}) {
  const shown: { step: string; at: StepPosition; value: string | undefined }[] = [];
  const field = (key: 'name' | 'env' | 'url'): FlowStep<State> => ({
    skip: (s) => (key === 'url' ? s.env !== 'other' : given[key] !== undefined),
    run: async (s, at) => {
      shown.push({ step: key, at, value: s[key] });
      const next = script.shift();
      if (!next || next[0] !== key) throw new Error(`step ${key} was not expected (script: ${next?.[0]})`);
      if (next[2] !== undefined) s[key] = next[2];
      return next[1];
    },
  });
  const steps = [field('name'), field('env'), field('url')];
  return { steps, shown, left: script };
}

describe('runSteps (the multi-step driver)', () => {
  it('goes through every step with a counter and a Back button after the first', async () => {
    const { steps, shown } = scripted([
      ['name', 'next', 'Staging'],
      ['env', 'next', 'prod'],
    ]);
    const state: State = {};
    expect(await runSteps(steps, state)).toBe(true);
    expect(state).toEqual({ name: 'Staging', env: 'prod' });
    expect(shown.map((s) => [s.step, s.at])).toEqual([
      ['name', { step: 1, totalSteps: 2, canGoBack: false }],
      ['env', { step: 2, totalSteps: 2, canGoBack: true }],
    ]);
  });

  it('an answer that adds a step raises the total; Back returns with the earlier value kept', async () => {
    const { steps, shown } = scripted([
      ['name', 'next', 'Staging'],
      ['env', 'next', 'other'],
      ['url', 'back'],
      ['env', 'back'],
      ['name', 'next', 'Staging 2'],
      ['env', 'next'],
      ['url', 'next', 'https://x.test'],
    ]);
    const state: State = {};
    expect(await runSteps(steps, state)).toBe(true);
    expect(state).toEqual({ name: 'Staging 2', env: 'other', url: 'https://x.test' });
    expect(shown.map((s) => `${s.step} ${s.at.step}/${s.at.totalSteps} ${s.value ?? '-'}`)).toEqual([
      'name 1/2 -',
      'env 2/2 -',
      'url 3/3 -',
      'env 2/3 other',
      'name 1/3 Staging',
      'env 2/3 other',
      'url 3/3 -',
    ]);
  });

  it('cancel anywhere ends the flow and reports it', async () => {
    const { steps, left } = scripted([
      ['name', 'next', 'Staging'],
      ['env', 'cancel'],
      ['url', 'next', 'never asked'],
    ]);
    const state: State = {};
    expect(await runSteps(steps, state)).toBe(false);
    expect(left.map((s) => s[0])).toEqual(['url']);
  });

  it('leaves out a step whose value was given, from the flow and from the counter', async () => {
    const { steps, shown } = scripted([['env', 'next', 'prod']], { name: 'Given' });
    const state: State = { name: 'Given' };
    expect(await runSteps(steps, state)).toBe(true);
    expect(shown).toEqual([{ step: 'env', at: { step: 1, totalSteps: 1, canGoBack: false }, value: undefined }]);
  });

  it('Back on the first step asks it again rather than leaving the flow', async () => {
    const { steps, shown } = scripted([
      ['name', 'back'],
      ['name', 'next', 'A'],
      ['env', 'next', 'prod'],
    ]);
    expect(await runSteps(steps, {})).toBe(true);
    expect(shown.map((s) => s.step)).toEqual(['name', 'name', 'env']);
  });
});

describe('runSteps: a step asked again', () => {
  it('"again" repeats the step without moving the counter', async () => {
    const seen: string[] = [];
    let refusals = 1;
    const ok = await runSteps<{ key?: string }>(
      [
        { run: async () => (seen.push('pick'), 'next') },
        {
          run: async (s, at) => {
            seen.push(`key ${at.step}/${at.totalSteps}`);
            s.key = 'k';
            return refusals-- > 0 ? 'again' : 'next';
          },
        },
      ],
      {},
    );
    expect(ok).toBe(true);
    expect(seen).toEqual(['pick', 'key 2/2', 'key 2/2']);
  });
});
