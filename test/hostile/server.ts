/**
 * A hostile Signus API: it answers whatever a test scripts, byte for byte, so it can echo the key it was
 * sent in any form — in the body, the status line, headers, a redirect's Location, with terminal escape
 * sequences — which node:http would refuse to send. HTTP/1.1 over a plain socket, one answer per
 * connection.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface HostileAnswer {
  status: number;
  /** Written as is into the status line (Latin-1). */
  statusText?: string;
  headers?: [string, string][];
  /** The body as text (UTF-8), or many repeats of a chunk with an optional tail (a huge body). */
  body?: string | { chunk: string; bytes: number; tail?: string };
}

/** What the server saw: the key is the Authorization header's value after `Bearer `. */
export interface HostileRequest {
  method: string;
  path: string;
  /** From `/v1/accounts/{id}/…`: lets tests that run in parallel each script their own account. */
  accountId: string;
  authorization: string;
  secret: string;
}

export type HostileScript = (request: HostileRequest) => HostileAnswer;

export interface RunningHostileServer {
  url: string;
  /** The script for every request from now on. */
  answer(script: HostileScript): void;
  /** The script for requests to one account only, ahead of the general one. */
  answerFor(accountId: string, script: HostileScript): void;
  requests: HostileRequest[];
  close(): Promise<void>;
}

export const TEMPLATES_PAGE = JSON.stringify({
  payload: { thisPageItems: [{ id: 't1', name: 'NDA' }], totalNumber: 1, lastPageIndex: 0 },
});

export async function startHostileServer(): Promise<RunningHostileServer> {
  let script: HostileScript = () => ({ status: 200, body: TEMPLATES_PAGE });
  const byAccount = new Map<string, HostileScript>();
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const request = parseRequest(head.slice(0, end));
      requests.push(request);
      let answer: HostileAnswer;
      try {
        answer = (byAccount.get(request.accountId) ?? script)(request);
      } catch (error) {
        answer = { status: 500, body: `script failed: ${String(error)}` };
      }
      void write(socket, answer);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answer: (next) => {
      script = next;
    },
    answerFor: (accountId, next) => {
      byAccount.set(accountId, next);
    },
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseRequest(head: string): HostileRequest {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', path = ''] = requestLine.split(' ');
  const authorization =
    lines
      .find((l) => l.toLowerCase().startsWith('authorization:'))
      ?.slice('authorization:'.length)
      .trim() ?? '';
  const accountId = /^\/v1\/accounts\/([^/?]+)/.exec(path)?.[1] ?? '';
  return { method, path, accountId, authorization, secret: authorization.replace(/^Bearer\s+/i, '') };
}

async function write(socket: Socket, answer: HostileAnswer): Promise<void> {
  const body = answer.body ?? '';
  const length =
    typeof body === 'string'
      ? Buffer.byteLength(body, 'utf8')
      : Math.ceil(body.bytes / Buffer.byteLength(body.chunk)) * Buffer.byteLength(body.chunk) +
        Buffer.byteLength(body.tail ?? '');
  const headers: [string, string][] = [
    ['Content-Length', String(length)],
    ['Connection', 'close'],
    ...(answer.headers ?? []),
  ];
  const head = `HTTP/1.1 ${answer.status} ${answer.statusText ?? 'OK'}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  const send = (data: Buffer): Promise<void> =>
    new Promise((resolve) => {
      if (socket.destroyed) resolve();
      else if (!socket.write(data)) socket.once('drain', resolve).once('close', resolve);
      else resolve();
    });
  await send(Buffer.from(head, 'latin1'));
  if (typeof body === 'string') await send(Buffer.from(body, 'utf8'));
  else {
    const chunk = Buffer.from(body.chunk.repeat(Math.max(1, Math.floor(65536 / body.chunk.length))), 'utf8');
    let sent = 0;
    const total = length - Buffer.byteLength(body.tail ?? '');
    while (sent < total && !socket.destroyed) {
      const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
      await send(part);
      sent += part.length;
    }
    if (body.tail && !socket.destroyed) await send(Buffer.from(body.tail, 'utf8'));
  }
  socket.end();
}
