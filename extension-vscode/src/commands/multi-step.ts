// The order of a multi-step input (Add, Rotate): which step comes next, where Back goes, and what the
// "(2/4)" counter says. Pure, so unit-tested without VS Code; step-inputs.ts shows each step. Modelled on the
// vscode-extension-samples quickinput "multiStepInput" sample, with steps as data so a step a caller already
// answered is left out of the flow and of the counter.

/** 'again': the same step once more, e.g. after its answer was refused in a modal. */
export type StepResult = 'next' | 'back' | 'again' | 'cancel';

export interface StepPosition {
  /** 1-based, among the steps actually asked. */
  step: number;
  /** Steps asked so far plus those still to come with what is known now (a choice can add a step). */
  totalSteps: number;
  /** Every step after the first has a Back button. */
  canGoBack: boolean;
}

export interface FlowStep<S> {
  /** True when the step is not asked, e.g. the caller gave the value or an earlier answer made it moot. */
  skip?: (state: S) => boolean;
  /** Asks, writes the answer into `state` (so Back shows it again) and says where to go. */
  run: (state: S, at: StepPosition) => Promise<StepResult>;
}

/**
 * Runs the steps in order. Back returns to the previous step asked, with the values in `state` kept; cancel
 * (Escape) ends the flow: true only when every step went through, so nothing is saved on a cancel.
 */
export async function runSteps<S>(steps: readonly FlowStep<S>[], state: S): Promise<boolean> {
  const asked: number[] = [];
  const active = (i: number) => !steps[i]?.skip?.(state);
  const nextFrom = (i: number) => {
    while (i < steps.length && !active(i)) i++;
    return i;
  };
  let i = nextFrom(0);
  while (i < steps.length) {
    let remaining = 0;
    for (let j = i; j < steps.length; j++) if (active(j)) remaining++;
    const at: StepPosition = {
      step: asked.length + 1,
      totalSteps: asked.length + remaining,
      canGoBack: asked.length > 0,
    };
    const result = await steps[i]!.run(state, at);
    if (result === 'cancel') return false;
    if (result === 'again') continue;
    if (result === 'back') {
      // The first step has no Back button; a 'back' there asks it again.
      i = asked.pop() ?? i;
      continue;
    }
    asked.push(i);
    i = nextFrom(i + 1);
  }
  return true;
}
