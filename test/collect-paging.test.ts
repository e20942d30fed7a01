// Holding only what the model needs while collecting: pages mapped as they arrive (Graph and AWS),
// thousands of calls started a few at a time, member-account clients released when their work is
// done.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsRuntime, pageItems, pages, type AccountClients } from '../src/collect/aws/clients.js';
import { collectAws } from '../src/collect/aws/index.js';
import { Graph } from '../src/collect/entra/graph-client.js';
import { mapLimit } from '../src/collect/rate-limit.js';
import { context, withFakeEnv } from './helpers/aws.js';
import { FakeAws } from './fake-cloud/aws/server.js';
import { IC_REGION, MGMT, e2eScenario } from './fake-cloud/aws/scenarios.js';
import { startFakeGraph, type FakeGraph } from './fake-cloud/graph/server.js';
import { G_ADMINS, U, contoso } from './fake-cloud/graph/scenario.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapLimit', () => {
  it('keeps the order of the items, runs at most `limit` at once and starts work only as earlier work ends', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const done = mapLimit(Array.from({ length: 50 }, (_, i) => i), 4, async (item) => {
      started.push(item);
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
      return item * 10;
    });
    await tick();
    // Nothing beyond the first four has been started (no pending promise per item).
    expect(started).toEqual([0, 1, 2, 3]);
    release.shift()!();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    while (started.length < 50 || release.length) {
      release.shift()?.();
      await tick();
    }
    expect(await done).toEqual(Array.from({ length: 50 }, (_, i) => i * 10));
    expect(most).toBe(4);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });

  it('starts nothing after a failure, and throws it once the running work has settled', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const result = mapLimit(Array.from({ length: 20 }, (_, i) => i), 3, async (item) => {
      started.push(item);
      await new Promise((resolve) => setTimeout(resolve, item === 1 ? 1 : 30));
      settled.push(item);
      if (item === 1) throw new Error('item 1 failed');
      return item;
    });
    await expect(result).rejects.toThrow('item 1 failed');
    // Item 1 failed first: no worker took another item; 0 and 2, slower, had finished by then.
    expect(started).toEqual([0, 1, 2]);
    expect(settled).toEqual([1, 0, 2]);
  });
});

describe('AWS pages', () => {
  const pager = (contents: string[][]) => {
    const calls: (string | undefined)[] = [];
    const fetch = async (token: string | undefined) => {
      calls.push(token);
      const n = token === undefined ? 0 : Number(token);
      return { Items: contents[n]!, NextToken: n + 1 < contents.length ? String(n + 1) : undefined };
    };
    return { calls, fetch };
  };

  it('are mapped one by one as they arrive, through empty pages, in order', async () => {
    const { calls, fetch } = pager([['a', 'b'], [], ['c']]);
    const seen: string[][] = [];
    const kept = await pageItems(fetch, (page) => {
      seen.push(page.Items);
      return page.Items.map((x) => x.toUpperCase());
    });
    expect(kept).toEqual(['A', 'B', 'C']);
    expect(seen).toEqual([['a', 'b'], [], ['c']]);
    expect(calls).toEqual([undefined, '1', '2']);
    expect((await pages(pager([['x'], ['y']]).fetch)).map((p) => p.Items)).toEqual([['x'], ['y']]);
  });

  it('refuse a NextToken that comes back twice', async () => {
    let n = 0;
    await expect(pageItems(async () => ({ NextToken: n++ < 5 ? 'same' : undefined }), () => [])).rejects.toThrow(/the same NextToken came back twice/);
  });
});

describe('Graph pages and $batch answers', () => {
  let fake: FakeGraph | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  it('are mapped page by page, and per request, as they arrive', async () => {
    fake = await startFakeGraph(contoso(), { token: 'tok', pageSize: 1 });
    const graph = new Graph({ baseUrl: fake.baseUrl, getToken: async () => 'tok', timeScale: 1000 });
    const pageSizes: number[] = [];
    const ids = await graph.listMapped<{ id: string }, string>(`/groups/${G_ADMINS}/members?$select=id,displayName`, (items) => {
      pageSizes.push(items.length);
      return items.map((m) => m.id);
    });
    expect(ids.sort()).toEqual([U.bob, U.carol].sort());
    expect(pageSizes).toEqual([1, 1]);

    const mapped: string[] = [];
    const results = await graph.batchList<{ id: string; displayName: string }, string>(
      [U.alice, U.bob].map((id) => ({ key: id, path: `/users/${id}?$select=id,displayName` })),
      undefined,
      (items, key) => {
        mapped.push(key);
        return items.map((u) => `${u.displayName} (${u.id === key ? 'same id' : 'other id'})`);
      },
    );
    expect(mapped.sort()).toEqual([U.alice, U.bob].sort());
    expect(results.get(U.alice)).toEqual({ ok: true, items: ['Alice (same id)'] });
    expect(results.get(U.bob)).toEqual({ ok: true, items: ['Bob (same id)'] });
  });
});

describe('AWS clients', () => {
  it('of an account are destroyed by release(); a later client() makes a new one', () => {
    const rt = new AwsRuntime({});
    const clients = rt.callerClients(MGMT);
    const iam = clients.client('iam', 'us-east-1');
    expect(clients.client('iam', 'us-east-1')).toBe(iam);
    const destroy = vi.spyOn(iam, 'destroy');
    clients.release();
    expect(destroy).toHaveBeenCalledTimes(1);
    const again = clients.client('iam', 'us-east-1');
    expect(again).not.toBe(iam);
    again.destroy();
  });

  it('of the member accounts are released once IAM and CloudTrail are collected', async () => {
    const fake = new FakeAws(e2eScenario());
    await fake.start();
    const restore = withFakeEnv(fake);
    const released = new Map<string, boolean>();
    const assumeRole = AwsRuntime.prototype.assumeRole;
    const spy = vi.spyOn(AwsRuntime.prototype, 'assumeRole').mockImplementation(async function (this: AwsRuntime, ...args: Parameters<AwsRuntime['assumeRole']>) {
      const clients: AccountClients = await assumeRole.apply(this, args);
      released.set(clients.accountId, false);
      const release = clients.release.bind(clients);
      clients.release = () => {
        released.set(clients.accountId, true);
        release();
      };
      return clients;
    });
    try {
      const aws = await collectAws(context({ aws: { identityCenterRegion: IC_REGION } }), { rateScale: 100, report: { pollMs: 5, maxPollMs: 20, timeoutMs: 10_000 } });
      expect(aws.iamUsers.provenance.status).toBe('collected');
      expect(released.size).toBeGreaterThan(1);
      expect([...released.values()].every(Boolean), JSON.stringify([...released])).toBe(true);
    } finally {
      spy.mockRestore();
      restore();
      await fake.stop();
    }
  });
});
