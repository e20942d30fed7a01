// The directory's deleted users: the documented response shape, the collector against the fake Graph
// (paged, read-only, User.Read.All when refused), and an older snapshot without the part still loading.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DELETED_USERS_SOURCE, mapDeletedUsers } from '../src/collect/entra/deleted-users.js';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import { type FakeGraphOptions } from './fake-cloud/graph/server.js';
import { contoso } from './fake-cloud/graph/scenario.js';
import { demoSnapshot } from './helpers/demo.js';
import { entraAgainstFake } from './helpers/graph.js';



/** n deleted users, raw as Graph returns them: the UPN prefixed with the id without hyphens. */
function deleted(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const id = `dddddddd-0000-4000-8000-${String(n - i).padStart(12, '0')}`;
    return { id, userPrincipalName: `${id.replace(/-/g, '')}leaver${n - i}@contoso.example`, displayName: `Leaver ${n - i}`, deletedDateTime: '2026-01-02T03:04:05Z', accountEnabled: false, mail: null };
  });
}

const collectFromFake = entraAgainstFake();

async function collect(options: FakeGraphOptions & { deletedUsers?: ReturnType<typeof deleted> } = {}) {
  const scenario = { ...contoso(), ...(options.deletedUsers ? { deletedUsers: options.deletedUsers } : {}) };
  return collectFromFake(scenario, options);
}

describe('deleted users', () => {
  it('maps the documented response: id, displayName, deletedDateTime; no userPrincipalName is null', () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/graph/deleted-users/list-deleted-items.json', import.meta.url), 'utf8')) as { value: never[] };
    expect(mapDeletedUsers(doc.value)).toEqual([
      { id: 'c31799b8-0683-4d70-9e91-e032c89d3035', userPrincipalName: null, displayName: 'Role assignable group', deletedDateTime: '2021-10-26T16:56:36.000Z' },
      { id: '74e45ce0-a52a-4766-976c-7201b0f99370', userPrincipalName: null, displayName: 'Role assignable group', deletedDateTime: '2021-10-26T16:58:37.000Z' },
    ]);
  });

  it('lists them with $select and $top=999, following every page, sorted by id, keeping the UPN as returned', async () => {
    const { entra, fake } = await collect({ deletedUsers: deleted(250), pageSize: 100 });
    const calls = fake.requests.filter((r) => r.url.startsWith('/directory/deletedItems/microsoft.graph.user'));
    expect(calls).toHaveLength(3);
    expect(calls[0]!.url).toContain('$select=id,userPrincipalName,displayName,deletedDateTime');
    expect(calls[0]!.url).toContain('$top=999');
    for (const r of calls) expect(r.method).toBe('GET');
    const s = entra.deletedUsers!;
    expect(s.provenance).toMatchObject({ status: 'collected', source: DELETED_USERS_SOURCE });
    expect(s.data).toHaveLength(250);
    expect(s.data!.map((u) => u.id)).toEqual(s.data!.map((u) => u.id).sort());
    expect(s.data![0]).toEqual({
      id: 'dddddddd-0000-4000-8000-000000000001',
      userPrincipalName: 'dddddddd000040008000000000000001leaver1@contoso.example',
      displayName: 'Leaver 1',
      deletedDateTime: '2026-01-02T03:04:05.000Z',
    });
  });

  it('an empty recycle bin is collected as an empty list', async () => {
    const { entra } = await collect();
    expect(entra.deletedUsers).toMatchObject({ provenance: { status: 'collected' }, data: [] });
  });

  it('refused: missing with User.Read.All as the fix, a warning saying what it costs, every other section still collected', async () => {
    const { entra, warnings } = await collect({ responses: [{ path: '/directory/deletedItems', status: 403 }] });
    expect(entra.deletedUsers).toMatchObject({ provenance: { status: 'missing', error: { status: 403 }, fix: 'User.Read.All' }, data: null });
    expect(entra.users.provenance.status).toBe('collected');
    expect(warnings.find((w) => w.section === 'entra.deletedUsers')?.message).toMatch(/User\.Read\.All.*absent, deleted or not/);
  });

  it('an older snapshot without the part still loads, and one with it validates', () => {
    const old = demoSnapshot();
    delete old.entra.deletedUsers;
    expect(() => validateSnapshot('old.json', JSON.parse(JSON.stringify(old)))).not.toThrow();
    const withPart = demoSnapshot();
    withPart.entra.deletedUsers = { provenance: { status: 'collected', source: DELETED_USERS_SOURCE, collectedAt: '2026-01-02T03:04:05.000Z' }, data: mapDeletedUsers(deleted(2)) };
    expect(() => validateSnapshot('new.json', JSON.parse(JSON.stringify(withPart)))).not.toThrow();
    withPart.entra.deletedUsers.data![0]!.deletedDateTime = 'yesterday';
    expect(() => validateSnapshot('bad.json', JSON.parse(JSON.stringify(withPart)))).toThrow(/deletedUsers/);
  });
});
