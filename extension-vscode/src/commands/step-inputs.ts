// One step of a multi-step input on screen: an input box or a quick pick with the step counter, a Back button
// after the first step, and Escape as cancel. multi-step.ts decides the order.
import * as vscode from 'vscode';
import type { StepPosition } from './multi-step.js';

export type Answer<T> = { value: T } | 'back' | 'cancel';

/** A button on the step besides Back, e.g. "Open Signus Developer Settings": it acts and the step stays. */
export interface StepButton {
  button: vscode.QuickInputButton;
  onClick: () => unknown;
}

let current: vscode.QuickInput | undefined;

/** The step on screen, for the extension-host tests (which answer it through the workbench's own commands). */
export function currentStepInput(): vscode.QuickInput | undefined {
  return current;
}

interface Common {
  title: string;
  buttons?: StepButton[];
}

export interface TextStep extends Common {
  prompt: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  validate?: (value: string) => string | undefined;
}

export interface PickStep<T extends vscode.QuickPickItem> extends Common {
  placeholder: string;
  items: readonly T[];
  /** The item to start on: the earlier answer when coming back. */
  active?: T | undefined;
}

function show<R>(
  input: vscode.InputBox | vscode.QuickPick<vscode.QuickPickItem>,
  at: StepPosition,
  spec: Common,
  onAccept: (resolve: (answer: Answer<R>) => void) => void,
): Promise<Answer<R>> {
  input.title = spec.title;
  input.step = at.step;
  input.totalSteps = at.totalSteps;
  input.ignoreFocusOut = true;
  input.buttons = [
    ...(at.canGoBack ? [vscode.QuickInputButtons.Back] : []),
    ...(spec.buttons ?? []).map((b) => b.button),
  ];
  return new Promise<Answer<R>>((resolve) => {
    let done = false;
    const finish = (answer: Answer<R>) => {
      if (done) return;
      done = true;
      if (current === input) current = undefined;
      input.dispose();
      resolve(answer);
    };
    input.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) finish('back');
      else void spec.buttons?.find((b) => b.button === button)?.onClick();
    });
    input.onDidAccept(() => onAccept(finish));
    // Escape, or focus taken by a modal that the flow did not open.
    input.onDidHide(() => finish('cancel'));
    current = input;
    input.show();
  });
}

export function askText(at: StepPosition, spec: TextStep): Promise<Answer<string>> {
  const input = vscode.window.createInputBox();
  input.prompt = spec.prompt;
  input.placeholder = spec.placeholder;
  input.value = spec.value ?? '';
  input.password = spec.password ?? false;
  const check = (value: string) => {
    input.validationMessage = spec.validate?.(value);
    return input.validationMessage === undefined;
  };
  if (input.value !== '') check(input.value);
  input.onDidChangeValue(check);
  return show<string>(input, at, spec, (finish) => {
    if (check(input.value)) finish({ value: input.value });
  });
}

export function askPick<T extends vscode.QuickPickItem>(at: StepPosition, spec: PickStep<T>): Promise<Answer<T>> {
  const input = vscode.window.createQuickPick<T>();
  input.placeholder = spec.placeholder;
  input.items = spec.items;
  if (spec.active) input.activeItems = [spec.active];
  return show<T>(input as unknown as vscode.QuickPick<vscode.QuickPickItem>, at, spec, (finish) => {
    const picked = input.selectedItems[0] ?? input.activeItems[0];
    if (picked) finish({ value: picked });
  });
}

export function askPicks<T extends vscode.QuickPickItem>(
  at: StepPosition,
  spec: PickStep<T> & { picked: readonly T[] },
): Promise<Answer<readonly T[]>> {
  const input = vscode.window.createQuickPick<T>();
  input.placeholder = spec.placeholder;
  input.canSelectMany = true;
  input.items = spec.items;
  input.selectedItems = spec.picked;
  return show<readonly T[]>(input as unknown as vscode.QuickPick<vscode.QuickPickItem>, at, spec, (finish) =>
    finish({ value: input.selectedItems }),
  );
}

/** The answer as a flow step's result, storing the value when there is one. */
export function stepResult<T>(answer: Answer<T>, store: (value: T) => void): 'next' | 'back' | 'cancel' {
  if (answer === 'back' || answer === 'cancel') return answer;
  store(answer.value);
  return 'next';
}
