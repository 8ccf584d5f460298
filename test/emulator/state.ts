import { randomBytes, randomUUID } from 'node:crypto';

export interface EmulatedTemplate {
  id: string;
  name: string;
  signingOrder: 'PARALLEL' | 'SEQUENTIAL';
  numberOfFiles: number;
  hasRecipients: boolean;
  createdAt: string;
}

export interface EmulatedAccount {
  id: string;
  name: string;
  /** A workspace without API access answers 403 to every key. */
  apiAccess: boolean;
  templates: EmulatedTemplate[];
}

export interface EmulatedKey {
  id: string;
  name: string;
  accountId: string;
  secret: string;
  createdAt: string;
  deletedAt?: string;
}

export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'rate_limit'; retryAfter: number }
  | { kind: 'non_json'; body?: string }
  | { kind: 'empty' }
  | { kind: 'huge'; bytes: number }
  | { kind: 'drop' }
  | { kind: 'truncate' }
  | { kind: 'redirect'; location: string };

export interface ActiveFault {
  id: string;
  fault: Fault;
  /** How many more API requests it applies to; undefined = until cleared. */
  remaining?: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random, key-shaped secret, marked `emu` so nobody mistakes it for a production key. */
export function newSecret(): string {
  const bytes = randomBytes(32);
  let body = '';
  for (const b of bytes) body += ALPHABET[b % ALPHABET.length];
  return `sk_emu_${body}`;
}

const NAMES = [
  'NDA',
  'Offer letter',
  'Consulting agreement',
  'Lease',
  'Invoice approval',
  'Vendor onboarding',
  'Photo release',
  'Purchase order',
  'Loan agreement',
  'Sales contract',
  'Volunteer waiver',
  'Board consent',
];

function makeTemplates(count: number, seed: number): EmulatedTemplate[] {
  const start = Date.UTC(2026, 0, 5, 9, 30);
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: NAMES[(i + seed) % NAMES.length]!,
    signingOrder: i % 3 === 0 ? 'SEQUENTIAL' : 'PARALLEL',
    numberOfFiles: 1 + (i % 3),
    hasRecipients: i % 4 !== 1,
    createdAt: new Date(start + i * 86_400_000 * 3).toISOString(),
  }));
}

export class EmulatorState {
  readonly accounts = new Map<string, EmulatedAccount>();
  readonly keys = new Map<string, EmulatedKey>();
  faults: ActiveFault[] = [];

  createAccount(
    options: { name?: string; apiAccess?: boolean; templates?: number; id?: string } = {},
  ): EmulatedAccount {
    const account: EmulatedAccount = {
      id: options.id ?? randomUUID(),
      name: options.name ?? 'Workspace',
      apiAccess: options.apiAccess ?? true,
      templates: makeTemplates(options.templates ?? 12, this.accounts.size),
    };
    this.accounts.set(account.id, account);
    return account;
  }

  createKey(accountId: string, name = 'Key', secret = newSecret()): EmulatedKey {
    if (!this.accounts.has(accountId)) throw new Error(`no account ${accountId}`);
    const key: EmulatedKey = { id: randomUUID(), name, accountId, secret, createdAt: new Date().toISOString() };
    this.keys.set(key.id, key);
    return key;
  }

  deleteKey(idOrSecret: string): EmulatedKey | undefined {
    const key = this.keys.get(idOrSecret) ?? [...this.keys.values()].find((k) => k.secret === idOrSecret);
    if (key && !key.deletedAt) key.deletedAt = new Date().toISOString();
    return key;
  }

  findKey(secret: string): EmulatedKey | undefined {
    for (const key of this.keys.values()) if (key.secret === secret) return key;
    return undefined;
  }

  addFault(fault: Fault, times?: number): ActiveFault {
    const active: ActiveFault = { id: randomUUID(), fault, ...(times !== undefined && { remaining: times }) };
    this.faults.push(active);
    return active;
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The faults for one API request, each used up once. */
  takeFaults(): Fault[] {
    const taken = this.faults.map((f) => f.fault);
    for (const f of this.faults) if (f.remaining !== undefined) f.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining === undefined || f.remaining > 0);
    return taken;
  }
}
