// Microsoft Graph, read-only: authentication, the client, and the request discipline Microsoft's
// throttling guidance asks for — follow the whole @odata.nextLink, one token bucket per documented limit tier, a
// concurrency cap, 429/5xx retried after Retry-After (fractional seconds too) or with
// exponential back-off when the service sends none (Conditional Access never does).
//
// Requests go through @microsoft/microsoft-graph-client (Client + middleware chain ending in its
// HTTPMessageHandler). Two middlewares are ours:
//  * BearerMiddleware: attaches the token only to the configured Graph origin (the stock
//    AuthenticationHandler only knows https hosts, and a test fake is http://127.0.0.1);
//  * ThrottleMiddleware: buckets, the concurrency cap and the retries (the stock RetryHandler
//    neither shares buckets nor lets tests scale its 3-second base delay).
import { Client, GraphClientError, GraphError, HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import pLimit from 'p-limit';
import { TokenBucket } from '../rate-limit.js';
import { inputError } from '../../util/errors.js';
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

/** The documented Graph limit tiers this collector touches. */
export type Tier = 'directory' | 'governance' | 'reports' | 'conditionalAccess';

/** A Graph call that failed for good: what a `missing` section records. */
export class GraphFailure extends Error {
  override readonly name = 'GraphFailure';
  constructor(
    readonly status: number | null,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GraphSettings {
  /** e.g. https://graph.microsoft.com/v1.0 (national clouds: graph.microsoft.us, microsoftgraph.chinacloudapi.cn). */
  baseUrl: string;
  getToken: () => Promise<string>;
  /** >1 runs the same limits and back-off faster (tests, benchmarks against the fake); never Retry-After. */
  timeScale?: number;
  maxRetries?: number;
  concurrency?: number;
  /** Exponential back-off base when the service sends no Retry-After. */
  backoffBaseMs?: number;
}

// Every request is a read (GET, or a $batch of GETs), so a transient server error is as safe to retry
// as a throttle: 500 and 502 too, not only 429/503/504 (a 500 used to lose a whole section).
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

const networkCode = (error: unknown): string => {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  return String(e?.cause?.code ?? e?.code ?? 'NetworkError');
};

/**
 * A GraphClientError passes through the client's error handling unchanged, so it can carry the
 * network code (ECONNREFUSED, ...). GraphClientError resets its prototype: tag it, don't subclass it.
 */
function networkError(code: string, cause: unknown): GraphClientError & { networkCode: string } {
  const c = cause as { message?: string; cause?: { message?: string } };
  const e = new GraphClientError(`${c?.message ?? 'request failed'}${c?.cause?.message ? `: ${c.cause.message}` : ''}`);
  return Object.assign(e, { networkCode: code });
}
const MAX_RETRY_AFTER_S = 300;
export const BATCH_MAX = 20;
/** $batch envelopes in flight at once, within the overall concurrency cap. */
const ENVELOPES_IN_FLIGHT = 4;

/** Retry-After: delta-seconds (Graph sends fractional ones, e.g. 2.128) or an HTTP date. Null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Number(text), MAX_RETRY_AFTER_S) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_S * 1000);
}

/** Which documented limit a request counts against, and what it costs there (resource units for the directory tier). */
export function tierOf(pathAndQuery: string): { tier: Tier; cost: number } {
  const [path = '', query = ''] = pathAndQuery.split('?');
  if (/\/reports\//i.test(path) || /\/auditLogs\//i.test(path)) return { tier: 'reports', cost: 1 };
  if (/\/identity\/conditionalAccess\//i.test(path)) return { tier: 'conditionalAccess', cost: 1 };
  if (/\/identityGovernance\/|\/policies\/roleManagementPolic/i.test(path)) return { tier: 'governance', cost: 1 };
  // Identity and access: GET users = 2, groups/{id}/members = 3, transitiveMembers = 5, else 1;
  // $select −1, $expand +1, minimum 1.
  let cost = /\/transitiveMembers/i.test(path) ? 5 : /\/(members|owners)(\/|$)/i.test(path) ? 3 : /\/users(\/|$|\()/i.test(path) ? 2 : 1;
  if (/(^|&)\$select=/i.test(query)) cost -= 1;
  if (/(^|&)\$expand=/i.test(query)) cost += 1;
  return { tier: 'directory', cost: Math.max(1, cost) };
}

function buckets(timeScale: number): Record<Tier, TokenBucket> {
  return {
    // Identity and access, app+tenant, smallest tenant size: 3,500 resource units per 10 s.
    directory: new TokenBucket('graph identity and access', 350, 1000, timeScale),
    // No published limit for PIM and access reviews; 429s on PIM policies are common at scale
    // (ScubaGear #2157): stay well below the global 2,000/s.
    governance: new TokenBucket('graph PIM and governance', 20, 20, timeScale),
    // Identity and access reports: 5 requests per 10 s per app per tenant.
    reports: new TokenBucket('graph reports', 0.5, 5, timeScale),
    // Identity protection and Conditional Access: 1 request per second per tenant, for all apps.
    conditionalAccess: new TokenBucket('graph conditional access', 1, 1, timeScale),
  };
}


class BearerMiddleware implements Middleware {
  private next!: Middleware;
  constructor(
    private readonly origin: string,
    private readonly getToken: () => Promise<string>,
  ) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin !== this.origin) {
      // Never send the token anywhere else (a nextLink or batch pointing off-host).
      throw new GraphFailure(null, 'UnexpectedHost', `refusing to call ${new URL(url).origin}: not the configured Graph endpoint ${this.origin}`);
    }
    const token = await this.getToken();
    context.options = { ...(context.options ?? {}) };
    context.options.headers = { ...((context.options.headers as Record<string, string> | undefined) ?? {}), Authorization: `Bearer ${token}` };
    await this.next.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

class ThrottleMiddleware implements Middleware {
  private next!: Middleware;
  constructor(
    private readonly graph: Graph,
    private readonly limit: ReturnType<typeof pLimit>,
  ) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const pathAndQuery = url.slice(this.graph.base.length);
    const isBatch = /^\/\$batch(\?|$)/.test(pathAndQuery);
    for (let attempt = 0; ; attempt++) {
      // A $batch envelope takes its sub-requests' tokens in Graph.batch; it costs nothing itself.
      if (!isBatch) {
        const { tier, cost } = tierOf(pathAndQuery);
        await this.graph.buckets[tier].take(cost);
      }
      try {
        await this.limit(() => this.next.execute(context));
      } catch (error) {
        // fetch failed: a reset connection is retried; anything else (refused, DNS) fails at once.
        const code = networkCode(error);
        if (TRANSIENT_NETWORK.has(code) && attempt < this.graph.maxRetries) {
          this.graph.stats.retries++;
          await sleep(this.graph.retryDelay(null, attempt));
          continue;
        }
        throw networkError(code, error);
      }
      const response = context.response!;
      this.graph.stats.requests++;
      if (!RETRYABLE.has(response.status) || attempt >= this.graph.maxRetries) return;
      this.graph.stats.retries++;
      await response.arrayBuffer().catch(() => undefined);
      await sleep(this.graph.retryDelay(response.headers.get('Retry-After'), attempt));
    }
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

export interface BatchGet {
  /** Unique within one call. */
  key: string;
  /** Path and query under the base URL, e.g. /groups/{id}/members?$select=id. */
  path: string;
}

export type BatchOutcome<T> = { ok: true; items: T[] } | { ok: false; error: GraphFailure };

interface BatchSubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { value?: unknown[]; '@odata.nextLink'?: string; error?: { code?: string; message?: string } } & Record<string, unknown>;
}

export class Graph {
  readonly client: Client;
  /** Origin + path of the API root, no trailing slash: https://graph.microsoft.com/v1.0 */
  readonly base: string;
  readonly buckets: Record<Tier, TokenBucket>;
  readonly maxRetries: number;
  readonly stats = { requests: 0, retries: 0 };
  private readonly timeScale: number;
  private readonly backoffBaseMs: number;

  constructor(settings: GraphSettings) {
    const url = new URL(settings.baseUrl);
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.timeScale = settings.timeScale ?? 1;
    this.maxRetries = settings.maxRetries ?? 6;
    this.backoffBaseMs = settings.backoffBaseMs ?? 1000;
    this.buckets = buckets(this.timeScale);
    const bearer = new BearerMiddleware(url.origin, settings.getToken);
    const throttle = new ThrottleMiddleware(this, pLimit(settings.concurrency ?? 8));
    const http = new HTTPMessageHandler();
    bearer.setNext(throttle);
    throttle.setNext(http);
    this.client = Client.initWithMiddleware({
      middleware: bearer,
      baseUrl: url.origin,
      defaultVersion: url.pathname.replace(/^\/+|\/+$/g, ''),
      customHosts: new Set([url.hostname]),
    });
  }

  retryDelay(retryAfter: string | null, attempt: number): number {
    const told = parseRetryAfter(retryAfter);
    if (told !== null) return told;
    const backoff = this.backoffBaseMs * 2 ** attempt;
    return (backoff + Math.random() * this.backoffBaseMs * 0.25) / this.timeScale;
  }

  /** A relative path for the client: a nextLink must point under our own base URL (the token goes nowhere else). */
  private relative(pathOrUrl: string): string {
    if (!/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
    if (!pathOrUrl.startsWith(`${this.base}/`)) {
      throw new GraphFailure(null, 'UnexpectedNextLink', `Graph returned a link outside ${this.base}: ${pathOrUrl.slice(0, 200)}`);
    }
    return pathOrUrl.slice(this.base.length);
  }

  /** One GET. Errors become GraphFailure. */
  async get<T>(pathOrUrl: string, headers: Record<string, string> = {}): Promise<T> {
    try {
      return (await this.client.api(this.relative(pathOrUrl)).headers(headers).get()) as T;
    } catch (error) {
      throw toFailure(error);
    }
  }

  /** Every item of a collection: follows @odata.nextLink (the whole URL) until it is absent. */
  list<T>(path: string, onPage?: (count: number) => void, headers: Record<string, string> = {}): Promise<T[]> {
    return this.listMapped<T, T>(path, (items) => items, onPage, headers);
  }

  /**
   * Every item of a collection, each page mapped as soon as it arrives (`map` may also drop items):
   * only what the model keeps is held while the rest of a long listing is read, not the raw pages.
   * `onPage` receives the number of raw items read so far.
   */
  async listMapped<T, U>(path: string, map: (items: T[]) => U[], onPage?: (count: number) => void, headers: Record<string, string> = {}): Promise<U[]> {
    const out: U[] = [];
    let read = 0;
    let next: string | undefined = path;
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next)) throw new GraphFailure(null, 'PagingLoop', `Graph returned the same nextLink twice: ${next.slice(0, 200)}`);
      seen.add(next);
      // Headers such as ConsistencyLevel are not carried to next pages automatically: resend them.
      const page: { value?: T[]; '@odata.nextLink'?: string } = await this.get(next, headers);
      const items = page.value ?? [];
      read += items.length;
      for (const item of map(items)) out.push(item);
      onPage?.(read);
      next = page['@odata.nextLink'];
    }
    return out;
  }

  /**
   * Many collection GETs in JSON $batch envelopes of at most 20: one round trip where there were 20.
   * Each sub-request's first page comes back in the batch; further pages follow their nextLink one by
   * one. A throttled sub-request (429 inside the batch) is retried in a later envelope after its own
   * Retry-After. A sub-request that fails for good is reported per key; the others still succeed.
   * `map` turns each key's items (all its pages) into what the caller keeps, as soon as they are
   * read: a section of thousands of requests then holds its model, not every raw response.
   */
  async batchList<T, U = T>(
    requests: BatchGet[],
    onProgress?: (done: number, total: number) => void,
    map: (items: T[], key: string) => U[] = (items) => items as unknown as U[],
  ): Promise<Map<string, BatchOutcome<U>>> {
    const out = new Map<string, BatchOutcome<U>>();
    let pending = requests.map((r) => ({ ...r, attempt: 0 }));
    let done = 0;
    while (pending.length) {
      const retry: typeof pending = [];
      let wait = 0;
      // Envelopes go out as soon as their sub-requests' tokens are there, a few at a time, rather
      // than each waiting for the previous answer (at 5,000 groups the serial round trips,
      // not the limits, set the pace). Results are keyed, so the order of answers does not matter.
      const inflight = new Set<Promise<void>>();
      for (let i = 0; i < pending.length; i += BATCH_MAX) {
        const chunk = pending.slice(i, i + BATCH_MAX);
        for (const r of chunk) {
          const { tier, cost } = tierOf(r.path);
          await this.buckets[tier].take(cost);
        }
        const task = (async () => {
          const body = { requests: chunk.map((r, n) => ({ id: String(n + 1), method: 'GET', url: r.path })) };
          let responses: BatchSubResponse[];
          try {
            const result = (await this.client.api('/$batch').post(body)) as { responses?: BatchSubResponse[] };
            responses = result.responses ?? [];
          } catch (error) {
            const failure = toFailure(error);
            for (const r of chunk) out.set(r.key, { ok: false, error: failure });
            done += chunk.length;
            onProgress?.(done, requests.length);
            return;
          }
          await Promise.all(
            chunk.map(async (r, n) => {
              const sub = responses.find((s) => s.id === String(n + 1));
              const status = sub?.status ?? 0;
              if (sub && RETRYABLE.has(status) && r.attempt < this.maxRetries) {
                this.stats.retries++;
                const header = Object.entries(sub.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1] ?? null;
                wait = Math.max(wait, this.retryDelay(header, r.attempt));
                retry.push({ ...r, attempt: r.attempt + 1 });
                return;
              }
              if (!sub || status < 200 || status >= 300) {
                const e = sub?.body?.error;
                out.set(r.key, {
                  ok: false,
                  error: new GraphFailure(sub ? status : null, e?.code ?? (sub ? `Http${status}` : 'MissingBatchResponse'), e?.message ?? `no usable response in the $batch for ${r.path}`),
                });
              } else {
                try {
                  const items = [...((sub.body?.value as T[] | undefined) ?? [])];
                  const next = sub.body?.['@odata.nextLink'];
                  if (typeof next === 'string') items.push(...(await this.list<T>(next)));
                  out.set(r.key, { ok: true, items: map(sub.body && !('value' in sub.body) ? [sub.body as T] : items, r.key) });
                } catch (error) {
                  out.set(r.key, { ok: false, error: toFailure(error) });
                }
              }
              done++;
              onProgress?.(done, requests.length);
            }),
          );
        })();
        inflight.add(task);
        task.finally(() => inflight.delete(task)).catch(() => {}); // a rejection surfaces through Promise.all below
        if (inflight.size >= ENVELOPES_IN_FLIGHT) await Promise.race(inflight);
      }
      await Promise.all(inflight);
      if (retry.length) await sleep(wait);
      pending = retry;
    }
    return out;
  }
}

export function toFailure(error: unknown): GraphFailure {
  if (error instanceof GraphFailure) return error;
  const networkCode = (error as { networkCode?: unknown } | null)?.networkCode;
  if (error instanceof GraphClientError && typeof networkCode === 'string') return new GraphFailure(null, networkCode, error.message);
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : null;
    return new GraphFailure(status, error.code ?? (status ? `Http${status}` : 'RequestFailed'), error.message || `HTTP ${status ?? '?'}`);
  }
  const e = error as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code ?? 'RequestFailed';
  return new GraphFailure(null, String(code), e?.cause?.message ?? e?.message ?? String(error));
}

/** Validate a Graph base URL from config or environment: https, or http only to this machine (tests). */
export function checkBaseUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw inputError(where, null, `"${value}" is not a URL (expected e.g. ${DEFAULT_GRAPH_BASE_URL})`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw inputError(where, null, `"${value}" must be an https URL (http only for 127.0.0.1 / localhost)`);
  }
  if (url.search || url.hash) throw inputError(where, null, `"${value}" must not carry a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** OData string literal: single quotes doubled. */
export const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Encode a query-parameter value (GraphRequest passes the query string through as given). */
export const q = (value: string) => encodeURIComponent(value).replace(/'/g, '%27');
