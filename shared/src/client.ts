import { accountUrl, templatesUrl } from './endpoints.js';
import { exchange, type FetchLike } from './http.js';
import { failureMessage } from './presentation.js';
import { echoRedactor, type Redactor } from './echo-redactor.js';
import { assess, type Verdict } from './verdict.js';

export interface SignusClientOptions {
  apiKey: string;
  accountId: string;
  /** Default https://api.signus.ai; a staging deployment or the local emulator work too. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Per request; default 15 s. */
  timeoutMs?: number;
  maxBodyBytes?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export type SigningOrder = 'PARALLEL' | 'SEQUENTIAL';

/** Fields seen in Signus's public example; others may appear and are kept. */
export interface Template {
  id: string;
  name: string;
  signingOrder?: SigningOrder | string;
  numberOfFiles?: number;
  hasRecipients?: boolean;
  createdAt?: string;
  [field: string]: unknown;
}

export interface Page<T> {
  thisPageItems: T[];
  totalNumber: number;
  lastPageIndex: number;
}

/** A failed API call, as a value: what went wrong, the status and body when there was an answer. */
export class SignusApiError extends Error {
  override readonly name = 'SignusApiError';
  constructor(
    readonly verdict: Verdict,
    /** A plain-language reason a person can act on. */
    readonly reason: string,
    readonly status: number | undefined,
    /** The body as received, redacted. */
    readonly body: string,
  ) {
    super(failureMessage(verdict, status, reason));
  }
}

export class SignusClient {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly #apiKey: string;
  readonly #options: SignusClientOptions;
  readonly #redact: Redactor;

  constructor(options: SignusClientOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://api.signus.ai').replace(/\/+$/, '');
    this.accountId = options.accountId;
    this.#apiKey = options.apiKey;
    this.#options = options;
    this.#redact = echoRedactor(options.apiKey);
  }

  listTemplates(
    page: { pageIndex?: number; pageSize?: number } = {},
    options: RequestOptions = {},
  ): Promise<Page<Template>> {
    const url = templatesUrl(this.baseUrl, this.accountId, {
      pageIndex: page.pageIndex ?? 0,
      pageSize: page.pageSize ?? 20,
    });
    return this.#getPayload(url, options, isPage) as Promise<Page<Template>>;
  }

  getTemplate(templateId: string, options: RequestOptions = {}): Promise<Template> {
    const url = `${accountUrl(this.baseUrl, this.accountId)}/templates/${encodeURIComponent(templateId)}`;
    return this.#getPayload(url, options, isTemplate) as Promise<Template>;
  }

  async #getPayload(url: string, options: RequestOptions, check: (payload: unknown) => boolean): Promise<unknown> {
    const outcome = await exchange(url, {
      headers: { Authorization: `Bearer ${this.#apiKey}`, Accept: 'application/json' },
      ...(this.#options.fetch && { fetch: this.#options.fetch }),
      ...(this.#options.timeoutMs !== undefined && { timeoutMs: this.#options.timeoutMs }),
      ...(this.#options.maxBodyBytes !== undefined && { maxBodyBytes: this.#options.maxBodyBytes }),
      ...(options.signal && { signal: options.signal }),
    });
    const { verdict, hint } = assess(outcome, { accountId: this.accountId, baseUrl: this.baseUrl });
    const status = outcome.status;
    // Servers echo headers back sometimes, in any form: nothing in an error may carry the key onward.
    const fail = (failed: Verdict, reason: string): SignusApiError =>
      new SignusApiError(
        failed,
        this.#redact(reason),
        status,
        outcome.kind === 'response' ? this.#redact(outcome.bodyText) : '',
      );
    if (verdict !== 'valid' || outcome.kind !== 'response') throw fail(verdict, hint);
    // Each string of the payload is redacted too: a caller may well print a template's name.
    const parsed = JSON.parse(outcome.bodyText, (_field, value: unknown) =>
      typeof value === 'string' ? this.#redact(value) : value,
    ) as { payload?: unknown };
    if (!parsed || typeof parsed !== 'object' || !('payload' in parsed) || !check(parsed.payload)) {
      throw fail('unexpected_response', 'The answer is JSON but not in the expected {"payload": …} shape.');
    }
    return parsed.payload;
  }
}

function isPage(value: unknown): boolean {
  const v = value as Partial<Page<unknown>> | null;
  return !!v && Array.isArray(v.thisPageItems) && typeof v.totalNumber === 'number';
}

function isTemplate(value: unknown): boolean {
  const v = value as Partial<Template> | null;
  return !!v && typeof v.id === 'string';
}
