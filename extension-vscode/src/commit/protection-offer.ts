// The one protection offer per repository: which buttons it has, and what an answer records. Pure, for tests;
// the commit guard shows it. Asked only where Signus is used, and remembered only once the person answered:
// closing the notification is no answer, so it comes back in a later session.
import { displayName } from '@signus/shared';

/** globalState: repository root → the answer given. */
export const OFFER_ANSWERS_KEY = 'signus.protectionOfferAnswers';
/** globalState: repository root → when it was answered (ISO time). */
export const OFFER_ANSWERED_AT_KEY = 'signus.protectionOfferAnsweredAt';

/** "Not Now" means later, not never: the offer comes back in a session this long after it. */
export const NOT_NOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Whether an answer still stands: any but "Not Now" for good, "Not Now" for a week (an unknown time: no more). */
export function answerStands(answer: string | undefined, answeredAt: string | undefined, now: number): boolean {
  if (answer === undefined) return false;
  if (answer !== 'notNow') return true;
  const at = answeredAt === undefined ? Number.NaN : Date.parse(answeredAt);
  return Number.isFinite(at) && now - at < NOT_NOW_MS;
}

// Short enough that all four fit whole in a notification (about 425 px of buttons): longer labels were cut to
// "Install Pre-c…". The message says what the two actions do, by these labels.
export const OFFER_BUTTONS = {
  hook: 'Install Hook',
  check: 'Turn On Check',
  notNow: 'Not Now',
  never: 'Never Here',
} as const;

export type OfferAnswer = keyof typeof OFFER_BUTTONS;

export interface OfferSituation {
  trusted: boolean;
  /** A key-shaped or known key was found in it, or it declares a Signus dependency. */
  usesSignus: boolean;
  /** Answered in an earlier session, or already asked in this one. */
  answered: boolean;
  hookInstalled: boolean;
  commitCheckOn: boolean;
  /** The settings signus.commit.offerHook and signus.commit.offerDiagnosticsHook. */
  offerHook: boolean;
  offerCheck: boolean;
}

/** The buttons of the offer, or undefined when there is nothing to offer. */
export function offerButtons(s: OfferSituation): string[] | undefined {
  // Both actions write (a hook file, settings): neither is offered in Restricted Mode.
  if (!s.trusted || !s.usesSignus || s.answered) return undefined;
  const actions = [
    ...(s.offerHook && !s.hookInstalled ? [OFFER_BUTTONS.hook] : []),
    ...(s.offerCheck && !s.commitCheckOn ? [OFFER_BUTTONS.check] : []),
  ];
  return actions.length ? [...actions, OFFER_BUTTONS.notNow, OFFER_BUTTONS.never] : undefined;
}

/**
 * The repository as a person knows it: its workspace-relative name ("packages/api"), or the folder's name
 * when given an absolute path (VS Code's asRelativePath returns a workspace folder's own root unchanged, which
 * named it "/tmp/…/workspace").
 */
export function repositoryName(name: string): string {
  if (!/^([\\/]|[A-Za-z]:[\\/])/.test(name)) return displayName(name);
  return displayName(name.split(/[\\/]/).filter(Boolean).at(-1) ?? name);
}

/**
 * `name`: the repository, workspace-relative or absolute (see repositoryName); `reason` says why it is taken to
 * use Signus ("package.json declares a Signus package").
 */
export function offerMessage(name: string, reason: string, buttons: readonly string[]): string {
  const hook = buttons.includes(OFFER_BUTTONS.hook)
    ? `${OFFER_BUTTONS.hook}: a pre-commit hook blocks a commit that adds an API key, from the terminal too.`
    : undefined;
  const check = buttons.includes(OFFER_BUTTONS.check)
    ? `${OFFER_BUTTONS.check}: VS Code's Commit button asks first when a staged file holds a key.`
    : undefined;
  return [`Signus: protect ${repositoryName(name)}? ${reason}.`, hook, check].filter(Boolean).join(' ');
}

/** The answer a chosen button gives; undefined (closed) records nothing. */
export function answerOf(choice: string | undefined): OfferAnswer | undefined {
  return (Object.keys(OFFER_BUTTONS) as OfferAnswer[]).find((k) => OFFER_BUTTONS[k] === choice);
}
