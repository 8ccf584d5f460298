import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DRAFT_KEY, DRAFT_TTL_MS, takeDraft, type PermissionDraft } from '../../src/lib/permission-draft.js';
import { DEFAULT_SETTINGS, type HistoryEntry, type Settings } from '../../src/lib/settings.js';
import { Popup, type PopupState } from '../../src/ui/Popup.js';
import { ACCOUNT_ID, FAKE_KEY, fakePlatform, TEMPLATES_BODY, type FakePlatform } from './fake-platform.js';

afterEach(cleanup);

function renderPopup(
  options: { settings?: Partial<Settings>; state?: Partial<PopupState>; platform?: FakePlatform } = {},
) {
  const platform = options.platform ?? fakePlatform();
  const initial: PopupState = {
    settings: { ...DEFAULT_SETTINGS, accountId: ACCOUNT_ID, ...options.settings },
    history: [],
    ...options.state,
  };
  const view = render(<Popup platform={platform} initial={initial} />);
  return { platform, view };
}

const keyField = () => screen.getByLabelText('API key') as HTMLInputElement;
const accountField = () => screen.getByLabelText('Account ID') as HTMLInputElement;
const form = () => keyField().closest('form')!;

/** Pastes as a browser would: the page may take the text over; if not, the browser inserts it. */
function paste(input: HTMLInputElement, text: string): { takenOver: boolean } {
  // happy-dom's ClipboardEvent carries no data: the handler reads it from clipboardData like a browser does.
  const event = new Event('paste', { bubbles: true, cancelable: true }) as Event & { clipboardData: unknown };
  event.clipboardData = { getData: () => text };
  const takenOver = !fireEvent(input, event);
  if (!takenOver) fireEvent.input(input, { target: { value: input.value + text } });
  return { takenOver };
}

async function runTest(platform: FakePlatform, key = FAKE_KEY) {
  fireEvent.input(keyField(), { target: { value: key } });
  fireEvent.submit(form());
  await waitFor(() => expect(platform.fetches).toHaveLength(1));
  return platform.fetches[0]!;
}

describe('popup: the form', () => {
  it('starts with focus in the key field, masked, and names every control', () => {
    renderPopup();
    expect(document.activeElement).toBe(keyField());
    expect(keyField().type).toBe('password');
    for (const name of ['Show key', 'Test', 'Options']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'Remember the key until the browser closes' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Environment' })).toBeTruthy();
    expect(accountField().value).toBe(ACCOUNT_ID);
    expect(screen.getByText(/The result shows here/)).toBeTruthy();
  });

  it('shows and hides the key with the eye toggle', () => {
    renderPopup();
    fireEvent.click(screen.getByRole('button', { name: 'Show key' }));
    expect(keyField().type).toBe('text');
    expect(screen.getByRole('button', { name: 'Hide key' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Hide key' }));
    expect(keyField().type).toBe('password');
  });

  it('normalises a pasted header line and says what it removed', () => {
    renderPopup();
    expect(paste(keyField(), `  Authorization: Bearer ${FAKE_KEY}\n`).takenOver).toBe(true);
    expect(keyField().value).toBe(FAKE_KEY);
    expect(screen.getByText(/removed .*header name.*Bearer prefix/)).toBeTruthy();
  });

  it('names the problem inline and sends nothing when an Account ID is pasted as the key', async () => {
    const { platform } = renderPopup();
    expect(paste(keyField(), ACCOUNT_ID).takenOver).toBe(false);
    expect(keyField().value).toBe(ACCOUNT_ID);
    expect(document.getElementById('key-message')!.textContent).toMatch(/looks like an Account ID/);
    expect(keyField().getAttribute('aria-describedby')).toBe('key-message');
    expect(keyField().getAttribute('aria-invalid')).toBe('true');
    fireEvent.submit(form());
    await new Promise((r) => setTimeout(r, 20));
    expect(platform.fetches).toHaveLength(0);
    expect(document.activeElement).toBe(keyField());
  });

  it('validates the Account ID as a UUID and moves focus to it', async () => {
    const { platform } = renderPopup({ settings: { accountId: '' } });
    fireEvent.input(keyField(), { target: { value: FAKE_KEY } });
    fireEvent.input(accountField(), { target: { value: 'acct-42' } });
    fireEvent.submit(form());
    expect(document.getElementById('account-message')!.textContent).toMatch(/An Account ID is a UUID/);
    expect(accountField().getAttribute('aria-describedby')).toBe('account-message');
    expect(document.activeElement).toBe(accountField());
    expect(platform.fetches).toHaveLength(0);
  });

  it('offers production, the emulator, saved environments and Custom…, which shows a Base URL field', () => {
    renderPopup({
      settings: { environments: [{ id: 'env-1', name: 'Staging', baseUrl: 'https://staging.example.test' }] },
    });
    const select = screen.getByRole('combobox', { name: 'Environment' }) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Production — https://api.signus.ai',
      'Local emulator — http://127.0.0.1:4010',
      'Staging — https://staging.example.test',
      'Custom…',
    ]);
    expect(screen.queryByLabelText('Base URL')).toBeNull();
    fireEvent.change(select, { target: { value: 'custom' } });
    const baseUrl = screen.getByLabelText('Base URL');
    fireEvent.input(baseUrl, { target: { value: 'ftp://example.test' } });
    expect(screen.getByText(/must start with https:\/\//)).toBeTruthy();
    fireEvent.input(baseUrl, { target: { value: 'http://staging.example.test' } });
    expect(screen.getByText(/sent unencrypted/)).toBeTruthy();
  });

  it('opens the options page', () => {
    const { platform } = renderPopup();
    fireEvent.click(screen.getByRole('button', { name: 'Options' }));
    expect(platform.optionsOpened).toBe(1);
  });
});

describe('popup: running a test', () => {
  it('sends the app’s exact request to production by default, with a spinner and a cancel while it runs', async () => {
    const { platform } = renderPopup();
    const request = await runTest(platform);
    expect(request.url).toBe(`https://api.signus.ai/v1/accounts/${ACCOUNT_ID}/templates?pageIndex=0&pageSize=5`);
    expect((request.init.headers as Record<string, string>).Authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(screen.getByText('Testing…', { selector: 'span' })).toBeTruthy();
    // Not disabled (that would drop the focus), only marked so; a second submit is ignored.
    expect(screen.getByRole('button', { name: 'Testing…' }).getAttribute('aria-disabled')).toBe('true');
    fireEvent.submit(form());
    expect(platform.fetches).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await screen.findByText('Cancelled');
    expect(screen.getByText(/cancelled before an answer arrived/)).toBeTruthy();
    // A cancelled test is not a result worth keeping.
    expect(await platform.local.get('history')).toBeUndefined();
  });

  it('shows a valid result: status, time, the JSON preview, and copies the exact cURL and the full JSON', async () => {
    const { platform } = renderPopup();
    const request = await runTest(platform);
    request.respond(TEMPLATES_BODY, { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' } });
    await screen.findByText('Valid');
    const result = screen.getByRole('region', { name: 'Result' });
    expect(within(result).getByText('200 OK').closest('.status')!.className).toContain('ok');
    expect(within(result).getByText(/^\d+ ms$/)).toBeTruthy();
    expect(within(result).getByLabelText('Response body').textContent).toContain('"totalNumber": 1');
    const curlOnScreen = within(result).getByLabelText('cURL command (key masked)').textContent!;
    expect(curlOnScreen).toContain('Bearer sk_••••••••WXYZ');
    expect(result.textContent).not.toContain(FAKE_KEY);

    fireEvent.click(within(result).getByRole('button', { name: 'Copy cURL' }));
    await waitFor(() => expect(platform.clipboard).toHaveLength(1));
    expect(platform.clipboard[0]).toBe(
      `curl 'https://api.signus.ai/v1/accounts/${ACCOUNT_ID}/templates?pageIndex=0&pageSize=5' -H 'Authorization: Bearer ${FAKE_KEY}' -H 'Accept: application/json'`,
    );
    expect(await within(result).findByText('Copied')).toBeTruthy();

    fireEvent.click(within(result).getByRole('button', { name: 'Copy full JSON' }));
    await waitFor(() => expect(platform.clipboard).toHaveLength(2));
    expect(JSON.parse(platform.clipboard[1]!)).toEqual(JSON.parse(TEMPLATES_BODY));
  });

  it('copies the cURL for PowerShell when that shell is picked', async () => {
    const { platform } = renderPopup();
    (await runTest(platform)).respond(TEMPLATES_BODY, { status: 200 });
    await screen.findByText('Valid');
    fireEvent.change(screen.getByRole('combobox', { name: 'Shell' }), { target: { value: 'powershell' } });
    expect(screen.getByLabelText('cURL command (key masked)').textContent).toMatch(/^curl\.exe /);
    fireEvent.click(screen.getByRole('button', { name: 'Copy cURL' }));
    await waitFor(() =>
      expect(platform.clipboard[0]).toMatch(
        new RegExp(`^curl\\.exe .*Bearer ${FAKE_KEY}' -H 'Accept: application/json'$`),
      ),
    );
  });

  it('colours a 401 as rejected and gives the hint', async () => {
    const { platform } = renderPopup();
    (await runTest(platform)).respond('{"error":{"code":"UNAUTHORIZED"}}', { status: 401, statusText: 'Unauthorized' });
    await screen.findByText('401 Unauthorized');
    const status = screen.getByText('401 Unauthorized').closest('.status')!;
    expect(status.className).toContain('rejected');
    expect(status.textContent).toMatch(/^401 Unauthorized\d+ ms$/);
    expect(screen.getByText(/The key is wrong, was deleted/)).toBeTruthy();
  });

  it('says when the body is not JSON', async () => {
    const { platform } = renderPopup();
    (await runTest(platform)).respond('<!doctype html><h1>Welcome</h1>', { status: 200, statusText: 'OK' });
    await screen.findByText('Bad response');
    expect(screen.getByText(/the body is not JSON/)).toBeTruthy();
    expect(screen.getByText('Response (not JSON)')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy full body' })).toBeTruthy();
  });

  it('says when the network fails', async () => {
    const { platform } = renderPopup();
    (await runTest(platform)).fail(new TypeError('Failed to fetch'));
    await screen.findByText('Network error');
    expect(screen.getByText('No answer').closest('.status')!.className).toContain('no_answer');
    expect(screen.getByText(/Could not reach api\.signus\.ai: Failed to fetch/)).toBeTruthy();
  });

  it('gives up after the timeout from the options', async () => {
    const { platform } = renderPopup({ settings: { timeoutSeconds: 1 } });
    await runTest(platform);
    await screen.findByText('Timed out', {}, { timeout: 3000 });
    expect(screen.getByText(/No complete answer from api\.signus\.ai in time/)).toBeTruthy();
  });

  it('asks for the host permission of a custom base URL and says so when it is refused, sending nothing', async () => {
    const { platform } = renderPopup({
      settings: { selectedEnvironment: 'custom', customBaseUrl: 'https://staging.example.test/' },
    });
    platform.grant = false;
    fireEvent.input(keyField(), { target: { value: FAKE_KEY } });
    fireEvent.submit(form());
    await screen.findByText('Host permission needed');
    expect(platform.requested).toEqual([['https://staging.example.test/*']]);
    expect(screen.getByText(/Permission to reach staging\.example\.test was refused/)).toBeTruthy();
    expect(platform.fetches).toHaveLength(0);
  });

  it('tests a custom base URL once its permission is granted', async () => {
    const { platform } = renderPopup({
      settings: { selectedEnvironment: 'custom', customBaseUrl: 'https://staging.example.test' },
    });
    const request = await runTest(platform);
    expect(request.url).toMatch(/^https:\/\/staging\.example\.test\/v1\/accounts\//);
  });

  it('needs no permission prompt for the local emulator', async () => {
    const { platform } = renderPopup({ settings: { selectedEnvironment: 'emulator' } });
    const request = await runTest(platform);
    expect(request.url).toMatch(/^http:\/\/127\.0\.0\.1:4010\/v1\//);
    expect(platform.requested).toEqual([]);
  });
});

describe('popup: what is kept', () => {
  it('never stores the key by default; keeps the Account ID, the environment and a masked history', async () => {
    const { platform } = renderPopup();
    (await runTest(platform)).respond(TEMPLATES_BODY, { status: 200 });
    await screen.findByText('Valid');
    await waitFor(async () => expect(await platform.local.get('history')).toHaveLength(1));
    const [entry] = (await platform.local.get<HistoryEntry[]>('history'))!;
    expect(entry).toMatchObject({
      maskedSecret: 'sk_••••••••WXYZ',
      status: 200,
      verdict: 'valid',
      accountId: ACCOUNT_ID,
    });
    expect(await platform.local.get('settings')).toMatchObject({
      accountId: ACCOUNT_ID,
      selectedEnvironment: 'production',
    });
    expect(platform.local.dump()).not.toContain(FAKE_KEY);
    expect(platform.session.items.size).toBe(0);
    expect(await screen.findByText('Recent tests (1)')).toBeTruthy();
  });

  it('keeps the key in session storage only when asked, and forgets it when unticked', async () => {
    const { platform } = renderPopup();
    fireEvent.click(screen.getByRole('checkbox', { name: /Remember the key/ }));
    (await runTest(platform)).respond(TEMPLATES_BODY, { status: 200 });
    await waitFor(async () => expect(await platform.session.get('rememberedKey')).toBe(FAKE_KEY));
    expect(platform.local.dump()).not.toContain(FAKE_KEY);
    fireEvent.click(screen.getByRole('checkbox', { name: /Remember the key/ }));
    await waitFor(async () => expect(await platform.session.get('rememberedKey')).toBeUndefined());
  });

  it('fills in a remembered key, ticked', () => {
    renderPopup({ state: { rememberedKey: FAKE_KEY } });
    expect(keyField().value).toBe(FAKE_KEY);
    expect((screen.getByRole('checkbox', { name: /Remember the key/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('fills in text sent by the context menu, normalised', () => {
    renderPopup({ state: { pendingKey: `"${FAKE_KEY}",` } });
    expect(keyField().value).toBe(FAKE_KEY);
    expect(screen.getByText(/removed quotes/)).toBeTruthy();
  });

  it('shows earlier tests with masked keys only', async () => {
    const history: HistoryEntry[] = [
      {
        maskedSecret: 'sk_••••••••WXYZ',
        accountId: ACCOUNT_ID,
        baseUrl: 'https://api.signus.ai',
        verdict: 'unauthorized',
        status: 401,
        durationMs: 87,
        testedAt: new Date().toISOString(),
      },
    ];
    renderPopup({ state: { history } });
    // The list's code loads after first paint, with what storage holds.
    const list = await screen.findByRole('list', { name: 'Recent tests' });
    expect(list.textContent).toContain('sk_••••••••WXYZ');
    expect(list.textContent).toContain('401 Unauthorized');
    expect(list.textContent).toContain('87 ms');
  });
});

describe('popup: host permissions', () => {
  it('says it waits for the user while the browser shows its permission prompt', async () => {
    const { platform } = renderPopup({
      settings: { selectedEnvironment: 'custom', customBaseUrl: 'https://staging.example.test' },
    });
    platform.requestOrigins = () => new Promise(() => undefined);
    fireEvent.input(keyField(), { target: { value: FAKE_KEY } });
    fireEvent.submit(form());
    await screen.findByText('Waiting for permission to reach staging.example.test…');
    expect(platform.fetches).toHaveLength(0);
  });

  it('says the site access was withdrawn when a blocked request looks like a network error', async () => {
    const { platform } = renderPopup();
    platform.withheld = ['https://api.signus.ai/*'];
    (await runTest(platform)).fail(new TypeError('Failed to fetch'));
    await screen.findByText('Host permission needed');
    expect(screen.getByText(/does not let this extension reach api\.signus\.ai/)).toBeTruthy();
  });
});

describe('popup: a result belongs to what was tested', () => {
  const liveRegion = () => screen.getByRole('region', { name: 'Result' }).querySelector('[role="status"]')!;

  it.each([
    ['the key', () => fireEvent.input(keyField(), { target: { value: `${FAKE_KEY}X` } })],
    ['the Account ID', () => fireEvent.input(accountField(), { target: { value: ACCOUNT_ID.replace('1', '2') } })],
    [
      'the environment',
      () => fireEvent.change(screen.getByRole('combobox', { name: 'Environment' }), { target: { value: 'emulator' } }),
    ],
  ])('editing %s clears the result, so Copy cURL cannot copy the old key', async (_what, edit) => {
    const { platform } = renderPopup();
    (await runTest(platform)).respond(TEMPLATES_BODY, { status: 200 });
    await screen.findByText('Valid');
    edit();
    expect(screen.queryByText('Valid')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Copy cURL' })).toBeNull();
    expect(screen.getByText(/The result shows here/)).toBeTruthy();
  });

  it('editing while a test runs cancels it, and its late answer is dropped', async () => {
    const { platform } = renderPopup();
    const request = await runTest(platform);
    fireEvent.input(keyField(), { target: { value: `${FAKE_KEY}X` } });
    expect(request.init.signal?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByText('Cancelled')).toBeNull();
    expect(screen.getByText(/The result shows here/)).toBeTruthy();
    expect(await platform.local.get('history')).toBeUndefined();
  });

  it('announces each phase by updating one live region that is always there', async () => {
    const { platform } = renderPopup();
    const region = liveRegion();
    expect(region.textContent).toBe('');
    const request = await runTest(platform);
    expect(liveRegion()).toBe(region);
    expect(region.textContent).toBe('Testing the key.');
    request.respond(TEMPLATES_BODY, { status: 200, statusText: 'OK' });
    await screen.findByText('Valid');
    expect(liveRegion()).toBe(region);
    expect(region.textContent).toBe(
      `Valid, 200 OK. The key works and can read account ${ACCOUNT_ID}. 1 template visible to this key`,
    );
    // Nothing else in the result is a live region: the body is never read out.
    expect(screen.getByRole('region', { name: 'Result' }).querySelectorAll('[role], [aria-live]')).toHaveLength(1);
  });

  it('shows what the answer holds and the headers worth reading', async () => {
    const { platform } = renderPopup();
    (await runTest(platform)).respond(TEMPLATES_BODY.replace('"totalNumber":1', '"totalNumber":12'), {
      status: 200,
      headers: { 'x-request-id': 'req_42', 'x-ratelimit-remaining': '99', etag: 'W/"1"' },
    });
    expect(await screen.findByText('12 templates visible to this key')).toBeTruthy();
    const headers = screen.getByLabelText('Response headers');
    expect(headers.textContent).toContain('x-request-id');
    expect(headers.textContent).toContain('req_42');
    expect(headers.textContent).toContain('x-ratelimit-remaining');
    expect(headers.textContent).not.toContain('etag');
  });

  it('names a refused connection, an unknown host and being offline apart', async () => {
    for (const [code, headline] of [
      ['net::ERR_CONNECTION_REFUSED', 'Connection refused'],
      ['net::ERR_NAME_NOT_RESOLVED', 'Host not found'],
      ['net::ERR_INTERNET_DISCONNECTED', 'Offline'],
    ] as const) {
      const { platform } = renderPopup();
      (await runTest(platform)).fail(Object.assign(new TypeError('Failed to fetch'), { code }));
      expect(await screen.findByText(headline)).toBeTruthy();
      cleanup();
    }
  });

  it('takes the part of a custom base URL before /v1, and says so', async () => {
    const { platform } = renderPopup({ settings: { selectedEnvironment: 'custom', customBaseUrl: '' } });
    fireEvent.input(screen.getByLabelText('Base URL'), { target: { value: 'https://staging.example.test/v1' } });
    expect(
      screen.getByText(/Using https:\/\/staging\.example\.test: the base URL is the part before \/v1/),
    ).toBeTruthy();
    const request = await runTest(platform);
    expect(request.url).toMatch(/^https:\/\/staging\.example\.test\/v1\/accounts\//);
  });

  it('keeps the focus on Test when it is pressed', async () => {
    const { platform } = renderPopup();
    fireEvent.input(keyField(), { target: { value: FAKE_KEY } });
    const test = screen.getByRole('button', { name: 'Test' });
    test.focus();
    fireEvent.submit(form());
    await waitFor(() => expect(platform.fetches).toHaveLength(1));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Testing…' }));
  });
});

describe('popup: a test parked while the permission prompt closes the popup', () => {
  const STAGING = 'https://staging.example.test';
  const draft = (savedAt = Date.now()): PermissionDraft => ({
    secret: FAKE_KEY,
    accountId: ACCOUNT_ID,
    environmentId: 'custom',
    customBaseUrl: STAGING,
    baseUrl: STAGING,
    origin: 'https://staging.example.test/*',
    remember: false,
    savedAt,
  });

  it('parks the form in session storage (never local) while the prompt is up, and drops it once answered', async () => {
    const { platform } = renderPopup({ settings: { selectedEnvironment: 'custom', customBaseUrl: STAGING } });
    let answer!: (granted: boolean) => void;
    platform.requestOrigins = () => new Promise((resolve) => (answer = resolve));
    fireEvent.input(keyField(), { target: { value: FAKE_KEY } });
    fireEvent.submit(form());
    await waitFor(async () => expect(await platform.session.get(DRAFT_KEY)).toMatchObject({ secret: FAKE_KEY }));
    expect(platform.local.dump()).not.toContain(FAKE_KEY);
    answer(true);
    await waitFor(() => expect(platform.fetches).toHaveLength(1));
    expect(await platform.session.get(DRAFT_KEY)).toBeUndefined();
  });

  it('reopened after Allow: fills the form back in and runs the test without asking again', async () => {
    const { platform } = renderPopup({ state: { draft: draft() } });
    await waitFor(() => expect(platform.fetches).toHaveLength(1));
    expect(platform.requested).toEqual([]);
    expect(platform.fetches[0]!.url).toMatch(/^https:\/\/staging\.example\.test\/v1\//);
    expect(keyField().value).toBe(FAKE_KEY);
    expect((screen.getByLabelText('Base URL') as HTMLInputElement).value).toBe(STAGING);
  });

  it('reopened after Deny: says the permission was not granted, sends nothing, keeps the form', async () => {
    const platform = fakePlatform();
    platform.withheld = ['https://staging.example.test/*'];
    renderPopup({ state: { draft: draft() }, platform });
    await screen.findByText('Host permission needed');
    expect(screen.getByText(/Permission to reach staging\.example\.test was not granted/)).toBeTruthy();
    expect(platform.fetches).toHaveLength(0);
    expect(keyField().value).toBe(FAKE_KEY);
  });

  it('takes the draft once, and not at all when it is older than its lifetime', async () => {
    const platform = fakePlatform();
    await platform.session.set(DRAFT_KEY, draft());
    expect((await takeDraft(platform))?.secret).toBe(FAKE_KEY);
    expect(await takeDraft(platform)).toBeUndefined();
    await platform.session.set(DRAFT_KEY, draft(Date.now() - DRAFT_TTL_MS - 1));
    expect(await takeDraft(platform)).toBeUndefined();
    expect(platform.session.dump()).not.toContain(FAKE_KEY);
  });
});

describe('popup: history entries test again', () => {
  const entry = (baseUrl: string): HistoryEntry => ({
    maskedSecret: 'sk_••••••••WXYZ',
    accountId: '00000000-0000-4000-8000-00000000beef',
    baseUrl,
    verdict: 'unauthorized',
    status: 401,
    durationMs: 87,
    testedAt: new Date().toISOString(),
  });

  it('runs again with the account and environment it used, when the key in the field is that key', async () => {
    const { platform } = renderPopup({
      settings: { environments: [{ id: 'env-1', name: 'Staging', baseUrl: 'http://127.0.0.1:7001' }] },
      state: { history: [entry('http://127.0.0.1:7001')] },
    });
    fireEvent.input(keyField(), { target: { value: FAKE_KEY } });
    fireEvent.click(await screen.findByRole('button', { name: 'Test sk_••••••••WXYZ again on Staging' }));
    await waitFor(() => expect(platform.fetches).toHaveLength(1));
    expect(platform.fetches[0]!.url).toBe(
      'http://127.0.0.1:7001/v1/accounts/00000000-0000-4000-8000-00000000beef/templates?pageIndex=0&pageSize=5',
    );
    expect((screen.getByRole('combobox', { name: 'Environment' }) as HTMLSelectElement).value).toBe('env-1');
    expect(accountField().value).toBe('00000000-0000-4000-8000-00000000beef');
  });

  it('asks for the key when the field holds another one (keys are never stored), on a custom server', async () => {
    const { platform } = renderPopup({ state: { history: [entry('https://gone.example.test')] } });
    fireEvent.input(keyField(), { target: { value: 'sk_FAKE_other_0123456789abcdefABCD' } });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Test sk_••••••••WXYZ again on https://gone.example.test' }),
    );
    expect(screen.getByText(/Paste sk_••••••••WXYZ, the key of that test/)).toBeTruthy();
    expect(document.activeElement).toBe(keyField());
    expect((screen.getByLabelText('Base URL') as HTMLInputElement).value).toBe('https://gone.example.test');
    await new Promise((r) => setTimeout(r, 20));
    expect(platform.fetches).toHaveLength(0);
  });
});

describe('popup: before its field checks arrive (the moment after first paint)', () => {
  it('paints the form, and runs a Test pressed meanwhile once they are here; a menu selection is cleaned up', async () => {
    // A fresh module graph: the checks are not loaded yet, as in a popup that has just painted.
    vi.resetModules();
    const fresh = await import('../../src/ui/Popup.js');
    const platform = fakePlatform();
    const initial: PopupState = {
      settings: { ...DEFAULT_SETTINGS, accountId: ACCOUNT_ID },
      history: [],
      pendingKey: `Bearer ${FAKE_KEY}`,
    };
    render(<fresh.Popup platform={platform} initial={initial} />);
    expect(keyField().value).toBe(`Bearer ${FAKE_KEY}`);
    fireEvent.submit(form());
    expect(platform.fetches).toHaveLength(0);
    await waitFor(() => expect(platform.fetches).toHaveLength(1));
    expect(keyField().value).toBe(FAKE_KEY);
    expect(screen.getByText(/removed Bearer prefix/)).toBeTruthy();
  });
});

describe('popup: painted before storage is read', () => {
  const STAGING = 'https://staging.example.test';
  const stored = (state: Partial<PopupState> = {}): PopupState => ({
    settings: { ...DEFAULT_SETTINGS, accountId: ACCOUNT_ID, selectedEnvironment: 'custom', customBaseUrl: STAGING },
    history: [],
    ...state,
  });

  it('shows the empty form at once (busy), then fills in what storage holds', async () => {
    const platform = fakePlatform();
    const view = render(<Popup platform={platform} />);
    expect(form().getAttribute('aria-busy')).toBe('true');
    expect(document.activeElement).toBe(keyField());
    expect(accountField().value).toBe('');
    expect(screen.queryByLabelText('Base URL')).toBeNull();
    view.rerender(<Popup platform={platform} initial={stored({ rememberedKey: FAKE_KEY })} />);
    expect(form().hasAttribute('aria-busy')).toBe(false);
    expect(accountField().value).toBe(ACCOUNT_ID);
    expect(keyField().value).toBe(FAKE_KEY);
    expect((screen.getByLabelText('Base URL') as HTMLInputElement).value).toBe(STAGING);
    expect((screen.getByRole('checkbox', { name: /Remember the key/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('keeps what the user typed before storage arrived', async () => {
    const platform = fakePlatform();
    const view = render(<Popup platform={platform} />);
    const typed = 'sk_test_typedBeforeStorage000000';
    fireEvent.input(keyField(), { target: { value: typed } });
    fireEvent.input(accountField(), { target: { value: 'not-yet' } });
    view.rerender(<Popup platform={platform} initial={stored({ rememberedKey: FAKE_KEY })} />);
    expect(keyField().value).toBe(typed);
    expect(accountField().value).toBe('not-yet');
    // What the user did not touch still comes from storage.
    expect((screen.getByLabelText('Base URL') as HTMLInputElement).value).toBe(STAGING);
  });

  it('resumes a parked test that arrives with storage', async () => {
    const platform = fakePlatform();
    const view = render(<Popup platform={platform} />);
    const draft: PermissionDraft = {
      secret: FAKE_KEY,
      accountId: ACCOUNT_ID,
      environmentId: 'custom',
      customBaseUrl: STAGING,
      baseUrl: STAGING,
      origin: `${STAGING}/*`,
      remember: false,
      savedAt: Date.now(),
    };
    view.rerender(<Popup platform={platform} initial={stored({ draft })} />);
    await waitFor(() => expect(platform.fetches).toHaveLength(1));
    expect(platform.fetches[0]!.url).toMatch(/^https:\/\/staging\.example\.test\/v1\//);
    expect(platform.requested).toEqual([]);
  });
});
