// End to end, as a user runs it: fake Graph → `jitaudit collect --only entra` (the built CLI) →
// a snapshot valid against the schema → with a matching AWS half, `jitaudit audit` finds what the
// scenario implies. Needs `dist/` (npm test builds first).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { jitauditAsync, tempDir } from './helpers/cli.js';
import { startFakeGraph, type FakeGraph } from './fake-cloud/graph/server.js';
import { G_ADMINS, awsHalf, contoso } from './fake-cloud/graph/scenario.js';

let fake: FakeGraph | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const env = (f: FakeGraph) => ({ JITAUDIT_GRAPH_BASE_URL: f.baseUrl, JITAUDIT_GRAPH_TOKEN: 'cli-token', JITAUDIT_GRAPH_TIME_SCALE: '100' });

describe('jitaudit collect --only entra', () => {
  it('writes a valid snapshot, and audit finds what the scenario implies', async () => {
    fake = await startFakeGraph(contoso(), {
      token: 'cli-token',
      pageSize: 2,
      responses: [
        { path: '/identity/conditionalAccess/policies', status: 429, retryAfter: null, times: 1 },
        { path: `/groups/${G_ADMINS}/owners`, status: 429, retryAfter: '0.05', times: 1 },
      ],
    });
    const dir = tempDir();
    const out = join(dir, 'snapshot.json');
    const r = await jitauditAsync(['collect', '--only', 'entra', '--out', out], dir, env(fake));
    expect(r.code, r.stderr).toBe(0);
    // Not a TTY: one line per finished section.
    for (const s of ['tenant', 'enterpriseApp', 'groups', 'users', 'mfaRegistration', 'pimSchedules', 'pimPolicies', 'activations', 'provisioning', 'conditionalAccess', 'accessReviews']) {
      expect(r.stderr).toMatch(new RegExp(`^jitaudit: entra\\.${s}: collected`, 'm'));
    }
    expect(r.stderr).not.toMatch(/\u001b\[/);
    const snapshot = validateSnapshot('snapshot.json', JSON.parse(readFileSync(out, 'utf8'))) as Snapshot;
    expect(snapshot.aws.organization.provenance).toMatchObject({ status: 'missing', error: { code: 'NotCollected' } });
    expect(snapshot.meta.warnings.length).toBeGreaterThan(0);

    // Read-only, also from the CLI.
    expect(fake.requests.every((q) => q.method === 'GET' || (q.method === 'POST' && q.url === '/$batch'))).toBe(true);

    // Audit with a matching AWS half (the AWS collector is a separate issue).
    const merged: Snapshot = { ...snapshot, aws: awsHalf(snapshot.meta.collection.endedAt) };
    const mergedFile = join(dir, 'merged.json');
    writeFileSync(mergedFile, `${JSON.stringify(merged, null, 2)}\n`);
    const reports = join(dir, 'reports');
    const a = await jitauditAsync(['audit', '--snapshot', mergedFile, '--format', 'json', '--out', reports], dir);
    expect(a.code, a.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(reports, 'report.json'), 'utf8'));
    // report.json v2: a path names its grant (person, kind) and its window by reference.
    const grants = report.grants as { kind: string; standing: boolean; principal: string }[];
    const windows = report.windows as Record<string, { unbounded: boolean }>;
    const paths = (report.accessPaths as { grant: number; permissionSet: string; window: string | null }[]).map((p) => ({
      ...grants[p.grant]!,
      permissionSet: p.permissionSet,
      window: p.window === null ? null : windows[p.window]!,
    }));
    const kind = (upn: string, ps = 'AdministratorAccess') => paths.filter((p) => p.principal === upn && p.permissionSet === ps).map((p) => `${p.kind}${p.standing ? ' standing' : ''}`);
    expect(kind('alice@contoso.example')).toEqual(['pim-eligible']);
    expect(kind('bob@contoso.example')).toEqual(['pim-eligible']); // activated now: still a JIT path
    expect(kind('carol@contoso.example')).toEqual(['pim-active standing']);
    expect(kind('dave@contoso.example')).toEqual(['owner standing']);
    expect(kind('erin@contoso.example', 'ReadOnlyAccess')).toEqual(['direct-member standing']);
    // Quarantined provisioning job → the JIT window is unbounded.
    expect(paths.find((p) => p.principal === 'alice@contoso.example')!.window!.unbounded).toBe(true);

    const fired = new Set((report.findings as { ruleId: string }[]).map((f) => f.ruleId));
    for (const rule of [
      'pim-activation-without-mfa',
      'pim-admin-activation-without-approval',
      'scim-provisioning-unhealthy',
      'effective-window-unbounded',
      'ca-mfa-policy-report-only',
      'pim-active-assignment',
      'group-owner-standing',
    ]) {
      expect(fired, rule).toContain(rule);
    }
    const mfa = (report.findings as { ruleId: string; message: string }[]).filter((f) => f.ruleId === 'pim-activation-without-mfa');
    expect(mfa.map((f) => f.message).join('\n')).toMatch(/member role of AWS - Prod Admins/);
    expect(report.summary.incomplete).toEqual([]);
  });

  it('marks a 403 section missing, still exits 0, and audit fails the gate unless --allow-incomplete', async () => {
    fake = await startFakeGraph(contoso(), { token: 'cli-token', responses: [{ path: '/policies/roleManagementPolicyAssignments', status: 403 }] });
    const dir = tempDir();
    const out = join(dir, 'snapshot.json');
    const r = await jitauditAsync(['collect', '--only', 'entra', '--out', out, '--quiet'], dir, env(fake));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const snapshot = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
    expect(snapshot.entra.pimPolicies.provenance).toMatchObject({ status: 'missing', error: { status: 403 }, fix: 'RoleManagementPolicy.Read.AzureADGroup' });
    const merged = join(dir, 'merged.json');
    writeFileSync(merged, JSON.stringify({ ...snapshot, aws: awsHalf(snapshot.meta.collection.endedAt) }));
    const gate = await jitauditAsync(['audit', '--snapshot', merged, '--format', 'json', '--out', join(dir, 'a'), '--fail-on', 'none'], dir);
    expect(gate.code).toBe(4);
    const report = JSON.parse(readFileSync(join(dir, 'a', 'report.json'), 'utf8'));
    // The directory roles' policies are read from the same endpoint: that section is missing too.
    expect(report.summary.incomplete).toEqual(['entra.pimPolicies', 'entra.directoryRoles']);
    const allowed = await jitauditAsync(['audit', '--snapshot', merged, '--format', 'json', '--out', join(dir, 'b'), '--fail-on', 'none', '--allow-incomplete'], dir);
    expect(allowed.code).toBe(0);
  });

  it('refuses a bad --tenant in one line with exit 2, and writes nothing', async () => {
    const dir = tempDir();
    const r = await jitauditAsync(['collect', '--only', 'entra', '--tenant', 'bad tenant', '--out', join(dir, 's.json')], dir, { JITAUDIT_GRAPH_TOKEN: 'x', JITAUDIT_GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0' });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual(['jitaudit: --tenant: "bad tenant" is not a tenant id (a GUID) or a tenant domain (e.g. contoso.onmicrosoft.com)']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unreachable Graph: nothing of Entra read, so exit 2 with one line saying why and what fixes it, and nothing written', async () => {
    const dir = tempDir();
    const out = join(dir, 's.json');
    // A port on 127.0.0.1 that was just closed: connection refused, never the internet.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const r = await jitauditAsync(['collect', '--only', 'entra', '--out', out, '--quiet'], dir, { JITAUDIT_GRAPH_TOKEN: 'x', JITAUDIT_GRAPH_BASE_URL: `http://127.0.0.1:${closed}/v1.0`, JITAUDIT_GRAPH_TIME_SCALE: '1000' });
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^jitaudit: collect: could not read anything from Entra ID \(ECONNREFUSED: .*\); to fix: .*; nothing written$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
