/**
 * A local Signus API that behaves as the documented one does, for tests, the demo and offline work.
 * API routes live under /v1; a control interface under /_emulator creates and deletes keys and
 * injects faults. Error bodies are this emulator's own choice, `{"error": {"code", "message"}}`:
 * the real shape is unknown, and clients must show any body as it comes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EmulatorState, type EmulatedKey, type Fault } from './state.js';

export interface EmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixes the demo key instead of a random one. */
  demoKey?: string;
  /** Fixes the demo Account ID. */
  demoAccountId?: string;
}

export interface RunningEmulator {
  url: string;
  /** The demo account, with 12 templates. */
  accountId: string;
  /** A valid key for the demo account. */
  apiKey: string;
  /** A second workspace's account and key, to show a key used on the wrong account. */
  otherAccountId: string;
  otherApiKey: string;
  /** An account whose workspace has no API access, and a key of it. */
  noAccessAccountId: string;
  noAccessApiKey: string;
  state: EmulatorState;
  createKey(options?: { accountId?: string; name?: string }): EmulatedKey;
  deleteKey(idOrSecret: string): void;
  injectFault(fault: Fault, times?: number): void;
  clearFaults(): void;
  /** API requests served so far (control requests not counted). */
  requestCount(): number;
  close(): Promise<void>;
}

const MAX_PAGE_SIZE = 100;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState();
  const demo = state.createAccount({
    name: 'Demo workspace',
    ...(options.demoAccountId && { id: options.demoAccountId }),
  });
  const demoKey = state.createKey(demo.id, 'Demo', options.demoKey);
  const other = state.createAccount({ name: 'Another workspace', templates: 3 });
  const otherKey = state.createKey(other.id, 'Other workspace');
  const noAccess = state.createAccount({ name: 'Workspace without API access', apiAccess: false, templates: 1 });
  const noAccessKey = state.createKey(noAccess.id, 'No API access');

  let apiRequests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/_emulator/')) {
      const refusal = controlRefusal(req, (server.address() as AddressInfo).port);
      if (refusal) return sendError(res, refusal.status, refusal.code, refusal.message);
      void handleControl(state, req, res, url);
      return;
    }
    apiRequests += 1;
    void handleApi(state, req, res, url);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    accountId: demo.id,
    apiKey: demoKey.secret,
    otherAccountId: other.id,
    otherApiKey: otherKey.secret,
    noAccessAccountId: noAccess.id,
    noAccessApiKey: noAccessKey.secret,
    state,
    createKey: ({ accountId = demo.id, name = 'Key' } = {}) => state.createKey(accountId, name),
    deleteKey: (idOrSecret) => {
      if (!state.deleteKey(idOrSecret)) throw new Error('no such key');
    },
    injectFault: (fault, times) => void state.addFault(fault, times),
    clearFaults: () => state.clearFaults(),
    requestCount: () => apiRequests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function handleApi(state: EmulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const faults = state.takeFaults();
  for (const fault of faults) if (fault.kind === 'latency') await sleep(fault.ms);
  if (res.destroyed) return;
  const fault = faults.find((f) => f.kind !== 'latency');
  if (fault && applyFault(fault, req, res)) return;

  const match = /^\/v1\/accounts\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (!match) return sendError(res, 404, 'NOT_FOUND', `No route for ${req.method} ${url.pathname}.`);
  const account = state.accounts.get(decodeURIComponent(match[1]!));
  const rest = match[2] ?? '';

  const auth = req.headers.authorization ?? '';
  const bearer = /^Bearer (\S+)$/.exec(auth);
  if (!bearer) {
    return sendError(res, 401, 'UNAUTHORIZED', 'Missing or malformed Authorization header; expected "Bearer sk_...".', {
      'www-authenticate': 'Bearer',
    });
  }
  const key = state.findKey(bearer[1]!);
  if (!key || key.deletedAt) {
    return sendError(res, 401, 'UNAUTHORIZED', 'Invalid API key.', {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }
  if (!account) return sendError(res, 404, 'ACCOUNT_NOT_FOUND', 'Account not found.');
  if (key.accountId !== account.id) {
    return sendError(res, 403, 'FORBIDDEN', 'This API key does not belong to this account.');
  }
  if (!account.apiAccess) {
    return sendError(res, 403, 'API_ACCESS_DISABLED', 'API access is not enabled for this workspace.');
  }

  if (req.method === 'GET' && rest === '/templates') return listTemplates(account.templates, res, url);
  const one = /^\/templates\/([^/]+)$/.exec(rest);
  if (req.method === 'GET' && one) {
    const template = account.templates.find((t) => t.id === decodeURIComponent(one[1]!));
    return template
      ? sendJson(res, 200, { payload: template })
      : sendError(res, 404, 'TEMPLATE_NOT_FOUND', 'Template not found.');
  }
  return sendError(res, 404, 'NOT_FOUND', `No route for ${req.method} ${url.pathname}.`);
}

function listTemplates(templates: readonly unknown[], res: ServerResponse, url: URL): void {
  const pageIndex = intParam(url, 'pageIndex', 0);
  const pageSize = intParam(url, 'pageSize', 20);
  if (pageIndex === undefined || pageIndex < 0) {
    return sendError(res, 400, 'BAD_REQUEST', 'pageIndex must be an integer ≥ 0.');
  }
  if (pageSize === undefined || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    return sendError(res, 400, 'BAD_REQUEST', `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const totalNumber = templates.length;
  const lastPageIndex = Math.max(0, Math.ceil(totalNumber / pageSize) - 1);
  const thisPageItems = templates.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize);
  sendJson(res, 200, { payload: { thisPageItems, totalNumber, lastPageIndex } });
}

function intParam(url: URL, name: string, fallback: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  return /^-?\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Returns true when the fault produced the whole answer. */
function applyFault(fault: Fault, _req: IncomingMessage, res: ServerResponse): boolean {
  switch (fault.kind) {
    case 'status':
      if (fault.body === undefined) {
        sendError(res, fault.status, 'INTERNAL', 'Injected failure.');
      } else {
        res.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(fault.body);
      }
      return true;
    case 'rate_limit':
      sendError(res, 429, 'RATE_LIMITED', 'Too many requests.', { 'retry-after': String(fault.retryAfter) });
      return true;
    case 'non_json':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        fault.body ?? '<!doctype html><title>Signus</title><h1>Welcome</h1><p>This is a web page, not the API.</p>',
      );
      return true;
    case 'empty':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' });
      res.end();
      return true;
    case 'huge':
      streamHuge(res, fault.bytes);
      return true;
    case 'drop':
      res.socket?.destroy();
      return true;
    case 'truncate':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"payload": {"thisPageItems": [');
      setTimeout(() => res.socket?.destroy(), 20);
      return true;
    case 'redirect':
      res.writeHead(307, { location: fault.location });
      res.end();
      return true;
    default:
      return false;
  }
}

/** Valid JSON of the given size, streamed in chunks so the emulator's memory stays flat. */
function streamHuge(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const head = '{"payload":{"thisPageItems":[],"totalNumber":0,"lastPageIndex":0,"padding":"';
  const tail = '"}}';
  const chunk = 'x'.repeat(64 * 1024);
  let left = Math.max(0, bytes - head.length - tail.length);
  res.write(head);
  const pump = (): void => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.slice(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  res.on('error', () => undefined);
  pump();
}

/**
 * A web page must not drive the control interface. Requiring a JSON content type makes every cross-site
 * POST a CORS-preflighted request, which this server never approves; requiring a loopback Host defeats DNS
 * rebinding, where the page's own host name is pointed at 127.0.0.1 and its requests become same-origin.
 */
export function controlRefusal(
  req: IncomingMessage,
  port: number,
): { status: number; code: string; message: string } | undefined {
  const loopback = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!loopback.includes((req.headers.host ?? '').toLowerCase())) {
    return {
      status: 403,
      code: 'FORBIDDEN_HOST',
      message: `The control interface answers only requests addressed to ${loopback.join(', ')}.`,
    };
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE';
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (hasBody && type !== 'application/json') {
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Control requests with a body must be sent as Content-Type: application/json.',
    };
  }
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 64 * 1024) throw new Error('control body too large');
  }
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a JSON object');
  return value as Record<string, unknown>;
}

const FAULT_KINDS = new Set([
  'latency',
  'status',
  'rate_limit',
  'non_json',
  'empty',
  'huge',
  'drop',
  'truncate',
  'redirect',
]);

async function handleControl(state: EmulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /_emulator/state') {
      return sendJson(res, 200, {
        accounts: [...state.accounts.values()].map((a) => ({
          id: a.id,
          name: a.name,
          apiAccess: a.apiAccess,
          templates: a.templates.length,
        })),
        keys: [...state.keys.values()].map((k) => ({
          id: k.id,
          name: k.name,
          accountId: k.accountId,
          createdAt: k.createdAt,
          deletedAt: k.deletedAt ?? null,
          last4: k.secret.slice(-4),
        })),
        faults: state.faults,
      });
    }
    if (route === 'POST /_emulator/keys') {
      const body = await readJson(req);
      const accountId = typeof body.accountId === 'string' ? body.accountId : [...state.accounts.keys()][0]!;
      if (!state.accounts.has(accountId)) return sendError(res, 404, 'ACCOUNT_NOT_FOUND', 'Account not found.');
      const key = state.createKey(accountId, typeof body.name === 'string' ? body.name : 'Key');
      // The control interface is the one place a secret is returned: it is how a key is "shown once".
      return sendJson(res, 201, {
        id: key.id,
        name: key.name,
        accountId: key.accountId,
        secret: key.secret,
        createdAt: key.createdAt,
      });
    }
    const del = /^\/_emulator\/keys\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && del) {
      const key = state.deleteKey(decodeURIComponent(del[1]!));
      if (!key) return sendError(res, 404, 'KEY_NOT_FOUND', 'No such key.');
      res.writeHead(204).end();
      return;
    }
    if (route === 'POST /_emulator/keys/delete') {
      const body = await readJson(req);
      const key = typeof body.secret === 'string' ? state.deleteKey(body.secret) : undefined;
      if (!key) return sendError(res, 404, 'KEY_NOT_FOUND', 'No such key.');
      res.writeHead(204).end();
      return;
    }
    if (route === 'POST /_emulator/accounts') {
      const body = await readJson(req);
      const account = state.createAccount({
        apiAccess: body.apiAccess !== false,
        ...(typeof body.name === 'string' && { name: body.name }),
      });
      return sendJson(res, 201, { id: account.id, name: account.name, apiAccess: account.apiAccess });
    }
    if (route === 'POST /_emulator/faults') {
      const body = await readJson(req);
      if (typeof body.kind !== 'string' || !FAULT_KINDS.has(body.kind)) {
        return sendError(res, 400, 'BAD_FAULT', `kind must be one of ${[...FAULT_KINDS].join(', ')}.`);
      }
      const { times, ...fault } = body;
      const active = state.addFault(fault as unknown as Fault, typeof times === 'number' ? times : undefined);
      return sendJson(res, 201, active);
    }
    if (route === 'DELETE /_emulator/faults') {
      state.clearFaults();
      res.writeHead(204).end();
      return;
    }
    sendError(res, 404, 'NOT_FOUND', `No control route ${route}.`);
  } catch (error) {
    sendError(res, 400, 'BAD_REQUEST', error instanceof Error ? error.message : String(error));
  }
}
