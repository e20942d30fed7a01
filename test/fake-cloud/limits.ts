// What both fakes share to behave like the clouds under load: the documented rate
// limits as token buckets run `timeScale` times faster (so a benchmark can run 10–50× faster while
// every ratio stays meaningful), a per-call latency scaled the same way, and a seeded, deterministic
// fault injector. Every call is counted per limit, so a benchmark can compute its lower bound.

/** 32-bit FNV-1a: a stable hash, so a fault decision depends on the request, never on timing. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32): FNV alone clusters on near-identical keys.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from a string. */
export const unit = (text: string) => hash32(text) / 2 ** 32;

export interface LimitCount {
  /** Requests (or $batch sub-requests) that counted against the limit, throttled ones included. */
  calls: number;
  /** Cost units taken (resource units for the Graph directory tier, otherwise = accepted calls). */
  units: number;
  /** Requests the limit refused (429 / ThrottlingException). */
  throttled: number;
}

/**
 * A documented limit: `rate` per second sustained, `capacity` at once, both in real-cloud terms; the
 * bucket refills `timeScale` times faster. A small tolerance lets a request through when it is a
 * fraction of a token early (network jitter between a client that paces itself exactly at the rate
 * and this clock); the debt is paid back, so the sustained rate is unchanged.
 */
export class FakeBucket {
  private tokens: number;
  readonly capacity: number;
  private last = performance.now();
  readonly count: LimitCount = { calls: 0, units: 0, throttled: 0 };

  constructor(
    readonly name: string,
    readonly rate: number,
    capacity: number,
    readonly timeScale = 1,
    private readonly tolerance = 2,
  ) {
    // The fake's own event loop stalls (GC, a burst of requests) do not shrink with the time scale:
    // let the bucket hold at least 50 ms of (scaled) traffic, so a stall does not read as a burst.
    this.capacity = Math.max(capacity, rate * timeScale * 0.05);
    this.tokens = this.capacity;
  }

  /** Take `cost` tokens, or say how long (ms, scaled) until they would be there. */
  take(cost = 1): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate * this.timeScale);
    this.last = now;
    this.count.calls++;
    if (this.tokens + this.tolerance >= cost) {
      this.tokens -= cost;
      this.count.units += cost;
      return { ok: true };
    }
    this.count.throttled++;
    return { ok: false, retryAfterMs: ((cost - this.tokens) / (this.rate * this.timeScale)) * 1000 };
  }
}

/** What an injected fault does. */
export type FaultKind = 'throttle' | 'error500' | 'reset' | 'slow';
export const FAULT_KINDS: FaultKind[] = ['throttle', 'error500', 'reset', 'slow'];

export interface FaultOptions {
  /** Fraction of requests that get a fault, 0–1. */
  rate: number;
  seed?: number;
  /** Which faults to draw from (default: all four, equally likely). */
  kinds?: FaultKind[];
  /** Only requests whose identity (Graph: "GET /path?query"; AWS: "service:Operation …") matches. */
  match?: string | RegExp;
}

/**
 * Decides, per request, whether it gets a fault. The decision hashes the seed, the request's identity
 * and how many times that identity has been seen, so it does not depend on the order in which
 * concurrent requests arrive: the same run against the same scenario meets the same faults, and a
 * retried request is a fresh draw.
 */
export class FaultInjector {
  private readonly seen = new Map<string, number>();
  readonly injected: Record<FaultKind, number> = { throttle: 0, error500: 0, reset: 0, slow: 0 };

  constructor(readonly options: FaultOptions) {}

  decide(identity: string, allowed: FaultKind[] = FAULT_KINDS): FaultKind | null {
    const { rate, seed = 1, kinds = FAULT_KINDS, match } = this.options;
    if (rate <= 0) return null;
    if (match !== undefined && !(typeof match === 'string' ? identity.includes(match) : match.test(identity))) return null;
    const n = (this.seen.get(identity) ?? 0) + 1;
    this.seen.set(identity, n);
    const key = `${seed}|${n}|${identity}`;
    if (unit(key) >= rate) return null;
    const choices = kinds.filter((k) => allowed.includes(k));
    if (!choices.length) return null;
    const kind = choices[hash32(`kind|${key}`) % choices.length]!;
    this.injected[kind]++;
    return kind;
  }

  get total(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }
}

export interface FakeTiming {
  /** Limits, latency, Retry-After and slow responses run this many times faster (default 1). */
  timeScale?: number;
  /** Enforce the documented limits (default false: the existing tests script their own throttling). */
  enforceLimits?: boolean;
  /** Latency of every response in real-cloud milliseconds (divided by timeScale; default 0). */
  latencyMs?: number;
  /** How long a "slow" fault holds the response, in real-cloud milliseconds (default 3,000). */
  slowMs?: number;
}

export const delay = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
