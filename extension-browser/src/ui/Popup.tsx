import type { ParsedAccountId, ParsedBaseUrl, ParsedKey } from '@signus/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PermissionDraft } from '../lib/permission-draft.js';
import type { Platform } from '../lib/platform.js';
import { loadTester, usePopupActions } from '../lib/load-tester.js';
import {
  addToHistory,
  allEnvironments,
  CUSTOM_ID,
  historyEntry,
  DEFAULT_SETTINGS,
  rememberKey,
  saveSettings,
  type HistoryEntry,
  type Settings,
} from '../lib/settings.js';
import { EnvironmentField } from './EnvironmentField.js';
import { FieldMessage } from './FieldMessage.js';
import { KeyField } from './KeyField.js';
import { ResultPanel, type Phase } from './ResultPanel.js';

export interface PopupState {
  settings: Settings;
  history: HistoryEntry[];
  /** From session storage, when the user opted in to remembering it. */
  rememberedKey?: string;
  /** Selected text sent by the context menu. */
  pendingKey?: string;
  /** A test parked while the browser's permission prompt closed the popup: it resumes on opening. */
  draft?: PermissionDraft;
}

/**
 * What the user typed into popup.html's prerendered form before its script ran (the form is painted
 * before any module loads): the popup starts from it, and what storage holds does not overwrite it.
 */
export type EarlyInput = Partial<Record<Exclude<Field, 'remember'>, string> & { remember: boolean }>;

interface Props {
  platform: Platform;
  /**
   * What storage holds. The popup paints its form before it has read storage (main.tsx): until this
   * arrives the fields are empty and the form is `aria-busy`; then it fills in every field the user has
   * not touched yet.
   */
  initial?: PopupState;
  early?: EarlyInput;
  /** Enter was pressed before the script ran (popup-boot.js held it): test once storage is read. */
  submittedEarly?: boolean;
}

type Field = 'key' | 'account' | 'environment' | 'custom' | 'remember';

/** The form's first values, from storage (or the defaults while storage is being read). */
function formFrom(initial: PopupState | undefined) {
  const settings = initial?.settings ?? DEFAULT_SETTINGS;
  const draft = initial?.draft;
  const environments = allEnvironments(settings);
  const wanted = draft?.environmentId ?? settings.selectedEnvironment;
  return {
    settings,
    key: draft?.secret ?? initial?.pendingKey ?? initial?.rememberedKey ?? '',
    remember: draft?.remember ?? initial?.rememberedKey !== undefined,
    accountId: draft?.accountId ?? settings.accountId,
    environmentId: wanted === CUSTOM_ID || environments.some((e) => e.id === wanted) ? wanted : environments[0]!.id,
    customUrl: draft?.customBaseUrl ?? settings.customBaseUrl,
  };
}

/** The first values, with what was typed before the script ran taking the place of what it typed over. */
function firstForm(initial: PopupState | undefined, early: EarlyInput) {
  const form = formFrom(initial);
  return {
    ...form,
    key: early.key ?? form.key,
    remember: early.remember ?? form.remember,
    accountId: early.account ?? form.accountId,
    environmentId: early.environment ?? form.environmentId,
    customUrl: early.custom ?? form.customUrl,
  };
}

function strippedNote(stripped: string[]): string | undefined {
  return stripped.length > 0 ? `Cleaned up the pasted text: removed ${stripped.join(', ')}.` : undefined;
}

export function Popup({ platform, initial, early = {}, submittedEarly = false }: Props) {
  const [first] = useState(() => firstForm(initial, early));
  const [settings, setSettings] = useState(first.settings);
  const environments = allEnvironments(settings);
  // The field checks and the test's start arrive a moment after first paint (load-tester.ts); until
  // then nothing is judged.
  const actions = usePopupActions();
  /** The selection the context menu sent: cleaned up (quotes, a `Bearer ` prefix) once the checks are here. */
  const [pendingKey, setPendingKey] = useState(initial?.pendingKey);
  const [firstParse] = useState(() => (pendingKey !== undefined ? actions?.parseApiKeyInput(pendingKey) : undefined));

  const [rawKey, setRawKey] = useState(firstParse?.key ?? first.key);
  const [keyNote, setKeyNote] = useState(firstParse ? strippedNote(firstParse.stripped) : undefined);
  const [keyTouched, setKeyTouched] = useState(pendingKey !== undefined);
  const [remember, setRemember] = useState(first.remember);
  const [accountRaw, setAccountRaw] = useState(first.accountId);
  const [accountTouched, setAccountTouched] = useState(false);
  const [envId, setEnvId] = useState(first.environmentId);
  const [customUrl, setCustomUrl] = useState(first.customUrl);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [history, setHistory] = useState(initial?.history ?? []);
  /** Past tests come from storage, after first paint: so does the code that lists them. */
  const [historyView, setHistoryView] = useState<typeof import('./HistoryList.js')>();
  const [submitted, setSubmitted] = useState(false);
  /** Set by "Test again" in the history: the test starts once the form shows that entry's account and server. */
  const [rerun, setRerun] = useState(false);
  /** Test pressed (or a parked test to resume) before the checks arrived: it starts when they do. */
  const [startWhenReady, setStartWhenReady] = useState<{ resume: boolean }>();
  const keyInput = useRef<HTMLInputElement>(null);
  const accountInput = useRef<HTMLInputElement>(null);
  /** The test under way: editing the form cancels it, and a later test makes its answer stale. */
  const currentRun = useRef<AbortController>(undefined);
  /** Fields the user changed before storage was read: what storage holds does not overwrite them. */
  const edited = useRef(new Set(Object.keys(early) as Field[]));
  const edit = (field: Field) => edited.current.add(field);
  const [loaded, setLoaded] = useState(initial !== undefined);

  useEffect(() => {
    const focusKey = () => {
      if (document.activeElement === document.body) keyInput.current?.focus();
    };
    focusKey();
    // Firefox may show its popup panel after this first frame and then focus the document itself, leaving the
    // key field unfocused (a paste would go nowhere): take the focus back once, unless the user moved it.
    window.addEventListener('focus', focusKey, { once: true });
    performance.mark('signus:interactive');
    // The form is painted: now fetch what a test needs, before anyone can press Test.
    requestAnimationFrame(() => setTimeout(() => void loadTester()));
    if (initial?.draft) setStartWhenReady({ resume: true });
  }, []);

  // Storage, read after the first paint: fill in what the user has not typed over meanwhile.
  useEffect(() => {
    if (loaded || !initial) return;
    setLoaded(true);
    const form = formFrom(initial);
    const untouched = (field: Field) => !edited.current.has(field);
    setSettings(form.settings);
    setHistory(initial.history);
    if (untouched('key') && form.key !== '') {
      setRawKey(form.key);
      setPendingKey(initial.pendingKey);
      if (initial.pendingKey !== undefined) setKeyTouched(true);
    }
    if (untouched('remember')) setRemember(form.remember);
    if (untouched('account')) setAccountRaw(form.accountId);
    if (untouched('environment')) setEnvId(form.environmentId);
    if (untouched('custom')) setCustomUrl(form.customUrl);
    if (initial.draft && untouched('key')) setStartWhenReady({ resume: true });
    else if (submittedEarly) setStartWhenReady({ resume: false });
  }, [initial]);

  useEffect(() => {
    if (history.length > 0 && !historyView) void import('./HistoryList.js').then(setHistoryView);
  }, [history]);

  useEffect(() => {
    if (!actions || firstParse || pendingKey === undefined || rawKey !== pendingKey) return;
    const parsed = actions.parseApiKeyInput(pendingKey);
    if (parsed.key) setRawKey(parsed.key);
    setKeyNote(strippedNote(parsed.stripped));
  }, [actions, pendingKey]);

  useEffect(() => {
    if (!actions || !startWhenReady) return;
    setStartWhenReady(undefined);
    start(startWhenReady.resume);
  }, [actions, startWhenReady]);

  const parsedKey: ParsedKey = actions?.parseApiKeyInput(rawKey) ?? { stripped: [] };
  const parsedAccount: ParsedAccountId = actions?.parseAccountId(accountRaw) ?? {};
  const parsedCustom: ParsedBaseUrl | undefined = envId === CUSTOM_ID ? actions?.parseBaseUrl(customUrl) : undefined;
  const customProblem =
    envId === CUSTOM_ID && customUrl.trim() === ''
      ? 'Enter the base URL, e.g. https://staging.example.com.'
      : parsedCustom?.problem?.message;
  const baseUrl = envId === CUSTOM_ID ? parsedCustom?.baseUrl : environments.find((e) => e.id === envId)?.baseUrl;
  const running = phase.kind === 'running';
  const accountProblem = accountTouched ? parsedAccount.problem?.message : undefined;

  // A result belongs to the key, account and server it was run with: once any of them changes it is
  // gone, so nothing on screen (nor Copy cURL, which holds the key) describes something else.
  const forgetResult = () => {
    currentRun.current?.abort();
    currentRun.current = undefined;
    setPhase((old) => (old.kind === 'idle' ? old : { kind: 'idle' }));
  };

  // A pasted key replaces the field, cleaned up; anything else is pasted as the browser would.
  const onPaste = (pasted: string): boolean => {
    // Not yet checked: the browser pastes it as it is, and it is judged as typed text.
    if (!actions) return false;
    const parsed = actions.parseApiKeyInput(pasted);
    edit('key');
    setKeyTouched(true);
    forgetResult();
    if (!parsed.key) return false;
    setRawKey(parsed.key);
    setKeyNote(strippedNote(parsed.stripped));
    return true;
  };

  const onRemember = (checked: boolean) => {
    edit('remember');
    setRemember(checked);
    if (!checked) void rememberKey(platform, undefined);
    else if (parsedKey.key) void rememberKey(platform, parsedKey.key);
  };

  useEffect(() => {
    if (!rerun) return;
    setRerun(false);
    start(false);
  }, [rerun]);

  // A past test again, with the account and server it used. Its key was never stored: the one in the
  // field is used if it is the same key (same masked form), else the user is asked to paste it.
  const onRerun = (entry: HistoryEntry) => {
    const environment = environments.find((env) => env.baseUrl === entry.baseUrl);
    setEnvId(environment ? environment.id : CUSTOM_ID);
    if (!environment) setCustomUrl(entry.baseUrl);
    setAccountRaw(entry.accountId);
    forgetResult();
    if (parsedKey.key !== undefined && actions?.maskSecret(parsedKey.key) === entry.maskedSecret) {
      setRerun(true);
    } else {
      setKeyNote(`Paste ${entry.maskedSecret}, the key of that test, and press Test: keys are not stored.`);
      keyInput.current?.focus();
    }
  };

  const onSubmit = (event: Event) => {
    event.preventDefault();
    start(false);
  };

  /** `resume`: the parked test of a popup the permission prompt closed, run again on opening. */
  const start = (resume: boolean) => {
    if (running) return;
    // Only in the first moment after paint. Firefox then asks for a host permission outside the click,
    // and refuses: the popup says so, and the next Test asks in time.
    if (!actions) return setStartWhenReady({ resume });
    setKeyTouched(true);
    setAccountTouched(true);
    setSubmitted(true);
    const secret = parsedKey.key;
    const accountId = parsedAccount.accountId;
    if (!secret) return keyInput.current?.focus();
    if (!accountId) return accountInput.current?.focus();
    if (!baseUrl || customProblem) return document.getElementById('base-url')?.focus();

    performance.mark('signus:test-start');
    const controller = new AbortController();
    currentRun.current = controller;
    const cancel = () => controller.abort();
    setPhase({ kind: 'running', cancel });
    // Nothing is awaited before runKeyTest: a permission prompt must stay tied to this click.
    void actions
      .runKeyTest(platform, {
        secret,
        accountId,
        baseUrl,
        timeoutMs: settings.timeoutSeconds * 1000,
        signal: controller.signal,
        draft: { environmentId: envId, customBaseUrl: customUrl.trim(), remember },
        resume,
        onPermissionPrompt: (host) => setPhase({ kind: 'running', cancel, waitingFor: host }),
      })
      .then(async (outcome) => {
        // The form was edited while it ran: its answer is about something no longer on screen.
        if (currentRun.current !== controller) return;
        currentRun.current = undefined;
        if (outcome.kind === 'permission_denied') {
          setPhase({ kind: 'denied', message: outcome.message });
          return;
        }
        // Loaded by then: runKeyTest needed it for the request.
        const tester = await loadTester();
        setPhase({ kind: 'result', result: outcome.result, secret, tester });
        const tested = outcome.result.verdict !== 'cancelled';
        await Promise.all([
          saveSettings(platform, { accountId, selectedEnvironment: envId, customBaseUrl: customUrl.trim() }),
          rememberKey(platform, remember ? secret : undefined),
          tested ? addToHistory(platform, historyEntry(outcome.result)).then(setHistory) : undefined,
          // Its fingerprint only, so the paste guard knows this key again in a page.
          tested ? tester.rememberTestedKey(platform, secret) : undefined,
        ]);
      });
  };

  return (
    <main class="popup">
      <header>
        <h1>Signus key tester</h1>
        <button type="button" class="link" onClick={() => void platform.openOptions()}>
          Options
        </button>
      </header>
      <form onSubmit={onSubmit} noValidate aria-busy={loaded ? undefined : 'true'}>
        <KeyField
          value={rawKey}
          inputRef={keyInput}
          onInput={(value) => {
            edit('key');
            setRawKey(value);
            setKeyNote(undefined);
            forgetResult();
          }}
          onPaste={onPaste}
          onBlur={() => setKeyTouched(rawKey !== '')}
          problem={keyTouched ? parsedKey.problem?.message : undefined}
          note={keyNote}
        />
        <div class="field">
          <label for="account-id">Account ID</label>
          <input
            id="account-id"
            ref={accountInput}
            value={accountRaw}
            placeholder="123e4567-e89b-12d3-a456-426614174000"
            spellcheck={false}
            autocomplete="off"
            aria-invalid={accountProblem ? 'true' : 'false'}
            aria-describedby={accountProblem ? 'account-message' : undefined}
            onInput={(e) => {
              edit('account');
              setAccountRaw(e.currentTarget.value);
              forgetResult();
            }}
            onBlur={() => setAccountTouched(accountRaw !== '')}
          />
          <FieldMessage id="account-message" text={accountProblem} kind="error" />
        </div>
        <EnvironmentField
          environments={environments}
          selected={envId}
          onSelect={(id) => {
            edit('environment');
            setEnvId(id);
            forgetResult();
          }}
          customUrl={customUrl}
          onCustomUrl={(url) => {
            edit('custom');
            setCustomUrl(url);
            forgetResult();
          }}
          {...(customProblem && (submitted || customUrl !== '') && { customProblem })}
          {...(parsedCustom?.warning && { customWarning: parsedCustom.warning })}
          {...(parsedCustom?.note && { customNote: parsedCustom.note })}
        />
        <div class="actions">
          <label class="check">
            <input type="checkbox" checked={remember} onChange={(e) => onRemember(e.currentTarget.checked)} />
            Remember the key until the browser closes
          </label>
          {/* Never disabled: a disabled button drops the focus, and Enter or a click must leave it on Test. */}
          <button type="submit" class="primary" aria-disabled={running ? 'true' : 'false'}>
            {running ? 'Testing…' : 'Test'}
          </button>
        </div>
      </form>
      <ResultPanel phase={phase} writeClipboard={platform.writeClipboard} />
      {historyView && <historyView.HistoryList entries={history} environments={environments} onRerun={onRerun} />}
    </main>
  );
}
