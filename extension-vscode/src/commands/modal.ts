// The modals that guard a production key, and the one that ends a rotation, go through here, so the extension-host tests can answer them: a
// workbench dialog cannot be clicked from the extension host. The workbench test clicks the real ones.
import * as vscode from 'vscode';

let script: { answers: (string | undefined)[]; asked: string[] } | undefined;

/** A modal warning; the first button is the default (Enter). undefined: closed or Cancel. */
export async function askModal(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
  if (script) return answer(message);
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
}

/** The same, as information (a step of a flow rather than a risk). */
export async function tellModal(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
  if (script) return answer(message);
  return vscode.window.showInformationMessage(message, { modal: true, detail }, ...buttons);
}

function answer(message: string): string | undefined {
  script!.asked.push(message);
  return script!.answers.shift();
}

/** Tests only (through the test API): the next modals get these answers; `asked` collects their messages. */
export function scriptModals(answers: (string | undefined)[]): { asked: string[]; end: () => void } {
  const current = { answers: [...answers], asked: [] as string[] };
  script = current;
  return {
    asked: current.asked,
    end: () => {
      if (script === current) script = undefined;
    },
  };
}
