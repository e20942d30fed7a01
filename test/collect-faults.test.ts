// Issue 6, "nothing lost under faults": the real collectors against the fakes serving the synthetic
// organisation of size S. With 10 % injected faults (429 with and without Retry-After,
// ThrottlingException / Throttling, 500, connection resets, slow responses) and the documented limits
// enforced, the snapshot equals the fault-free one apart from timing fields; a section whose retries
// are exhausted is `missing`, never silently short. No timing assertions here: speed is the
// benchmark's business (npm run bench).
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonJsonValue } from '../src/collect/collect.js';
import { COLLECTORS } from '../src/collect/collectors.js';
import { jsonChunks } from '../src/util/json-chunks.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { SECTION_PATHS } from '../src/model/snapshot-schema.js';
import { generateOrg, type SyntheticOrg } from './synthetic/org.js';
import { applyEnv, collectSynthetic, startFakes, withoutTiming } from './synthetic/harness.js';
import { tempDir } from './helpers/cli.js';
import { minimumCalls } from '../bench/minimum.js';
import { ROOT } from './helpers/demo.js';

const SCALE = 50;
const timing = { timeScale: SCALE, enforceLimits: true, latencyMs: 40, slowMs: 2_000 };

const statuses = (s: Snapshot) =>
  Object.fromEntries(
    SECTION_PATHS.map((p) => {
      const [side, name] = p.split('.') as ['entra' | 'aws', string];
      return [p, (s[side] as unknown as Record<string, { provenance: { status: string } }>)[name]!.provenance.status];
    }),
  );

describe('collection of a synthetic organisation (size S) under injected faults', () => {
  let org: SyntheticOrg;
  let clean: Snapshot;
  let faulty: Snapshot;
  let injected = { graph: 0, aws: 0 };
  let governanceCalls = 0;
  /** The fault-free run's calls per limit key, as the benchmark names them (graph:<tier>, AWS limit keys). */
  let calmCalls: Record<string, number> = {};
  /** The fault-free run's AWS calls by operation. */
  let calmOps: Record<string, number> = {};
  const saved = { ...process.env };
  // What the collectors hand over, to check that the snapshot is validated in place, not copied.
  const halves: { entra: unknown[]; aws: unknown[] } = { entra: [], aws: [] };
  const collectors = { ...COLLECTORS };

  beforeAll(async () => {
    const { entra, aws } = collectors;
    COLLECTORS.entra = async (ctx) => {
      const out = await entra!(ctx);
      halves.entra.push(out);
      return out;
    };
    COLLECTORS.aws = async (ctx) => {
      const out = await aws!(ctx);
      halves.aws.push(out);
      return out;
    };
    org = generateOrg('S', 7);
    const calm = await startFakes(org, { timing });
    try {
      applyEnv(calm.env);
      clean = await collectSynthetic(org);
      governanceCalls = calm.graph.counts.governance.calls;
      calmCalls = {
        ...Object.fromEntries(Object.entries(calm.graph.counts).map(([tier, c]) => [`graph:${tier}`, c.calls])),
        ...Object.fromEntries([...calm.aws.limits].map(([key, c]) => [key, c.calls])),
      };
      for (const c of calm.aws.calls) calmOps[c.operation] = (calmOps[c.operation] ?? 0) + 1;
    } finally {
      await calm.close();
    }
    const stormy = await startFakes(org, { timing, graphFaults: { rate: 0.1, seed: 11 }, awsFaults: { rate: 0.1, seed: 12 } });
    try {
      applyEnv(stormy.env);
      faulty = await collectSynthetic(org);
      injected = { graph: stormy.graph.faults!.total, aws: stormy.aws.faults!.total };
    } finally {
      await stormy.close();
    }
  }, 120_000);
  afterAll(() => {
    Object.assign(COLLECTORS, collectors);
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    applyEnv(saved);
  });

  it('hands over plain JSON, validated in place and written as JSON.stringify(snapshot, null, 2) would', () => {
    expect(halves.entra).toHaveLength(2);
    expect(halves.aws).toHaveLength(2);
    for (const half of [...halves.entra, ...halves.aws]) expect(nonJsonValue(half)).toBeNull();
    // No copy: the snapshot holds the collectors' own objects.
    expect(clean.entra).toBe(halves.entra[0]);
    expect(clean.aws).toBe(halves.aws[0]);
    expect(faulty.entra).toBe(halves.entra[1]);
    expect([...jsonChunks(clean)].join('')).toBe(`${JSON.stringify(clean, null, 2)}\n`);
  });

  it('collects every section of the organisation without faults', () => {
    expect(statuses(clean)).toEqual(Object.fromEntries(SECTION_PATHS.map((p) => [p, p === 'aws.portalSession' ? 'declared' : 'collected'])));
    // The whole organisation is there, not a page of it.
    expect(clean.entra.groups.data).toHaveLength(org.shape.entraGroups!);
    expect(clean.aws.accountAssignments.data).toHaveLength(org.shape.accountAssignments!);
    expect(clean.aws.identityStore.data!.users).toHaveLength(org.shape.icUsers!);
    expect(clean.aws.identityStore.data!.memberships).toHaveLength(org.shape.memberships!);
    expect(clean.aws.organization.data!.accounts).toHaveLength(org.shape.accounts!);
    expect(clean.entra.pimSchedules.data!.eligibilitySchedules).toHaveLength(org.shape.eligibilities!);
    expect(clean.aws.cloudTrail.data!.events).toHaveLength(org.shape.trailEvents!);
    expect(clean.aws.cloudTrail.data!.lookups.every((l) => l.provenance.status === 'collected')).toBe(true);
    expect(clean.aws.iamUsers.data!.every((a) => a.provenance.status === 'collected')).toBe(true);
    // The optional eligibility history (not in SECTION_PATHS) too, one listing per group as the
    // benchmark's formula counts it.
    expect(clean.entra.eligibilityRequests?.provenance.status).toBe('collected');
    expect(governanceCalls).toBe(minimumCalls(org).calls['graph:governance']);
  });

  it('makes exactly the calls the benchmark counts as the minimum, the ways around PIM included', () => {
    // The organisation takes those paths: role-assignable groups under PIM for Groups holding a role
    // (their eligibilities and policy read), activated role assignments, the delegated administrator's SCPs.
    const roles = clean.entra.directoryRoles!.data!;
    expect(org.shape.roleGroups).toBeGreaterThan(0);
    expect(roles.groupHolders!.filter((g) => g.pim?.eligibilities?.length && g.pim.policies?.length)).toHaveLength(org.shape.roleGroups!);
    expect(org.shape.activatedRoleAssignments).toBeGreaterThan(0);
    expect(roles.assignments.filter((a) => a.assignmentType === 'activated')).toHaveLength(org.shape.activatedRoleAssignments!);
    const admin = clean.aws.controlPlane!.data!.accounts.find((a) => a.roles.includes('delegatedAdministrator'))!;
    expect(admin.serviceControlPolicies?.provenance.status).toBe('collected');
    expect(admin.serviceControlPolicies!.targets!.map((t) => t.type)).toEqual(['ROOT', ...admin.serviceControlPolicies!.targets!.slice(1, -1).map(() => 'ORGANIZATIONAL_UNIT'), 'ACCOUNT']);
    expect(admin.serviceControlPolicies!.targets!.flatMap((t) => t.policies.map((p) => p.id))).toEqual(expect.arrayContaining(['p-FullAWSAccess', 'p-5e7a0001', 'p-5e7a0002']));
    for (const op of ['organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:DescribePolicy']) expect(calmOps[op], op).toBeGreaterThan(0);
    // And every limit's calls are exactly the benchmark's minimum: no more, no fewer.
    expect(calmCalls).toEqual(minimumCalls(org).calls);
  });

  it('collects the same snapshot, apart from timing fields, with 10 % injected faults', () => {
    // Enough faults happened for the comparison to mean something.
    expect(injected.graph).toBeGreaterThan(10);
    expect(injected.aws).toBeGreaterThan(10);
    expect(statuses(faulty)).toEqual(statuses(clean));
    expect(withoutTiming(faulty)).toEqual(withoutTiming(clean));
  });
});

describe('a section whose retries are exhausted', () => {
  const saved = { ...process.env };
  afterAll(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    applyEnv(saved);
  });

  it('is missing, with the error, while the others are collected in full', async () => {
    const org = generateOrg('S', 7);
    const fakes = await startFakes(org, {
      timing: { timeScale: SCALE, enforceLimits: true },
      // Every Conditional Access request is throttled (429, no Retry-After), every membership list fails.
      graphFaults: { rate: 1, kinds: ['throttle'], match: '/identity/conditionalAccess/' },
      awsFaults: { rate: 1, kinds: ['error500'], match: 'identitystore:ListGroupMemberships' },
    });
    let snapshot: Snapshot;
    try {
      applyEnv({ ...fakes.env, AWS_MAX_ATTEMPTS: '3' });
      snapshot = await collectSynthetic(org);
    } finally {
      await fakes.close();
    }
    expect(snapshot.entra.conditionalAccess).toMatchObject({ provenance: { status: 'missing', error: { status: 429, code: 'TooManyRequests' } }, data: null });
    expect(snapshot.aws.identityStore).toMatchObject({ provenance: { status: 'missing', error: { status: 500, code: 'InternalServerException' } }, data: null });
    const rest = Object.entries(statuses(snapshot)).filter(([p]) => p !== 'entra.conditionalAccess' && p !== 'aws.identityStore' && p !== 'aws.portalSession');
    expect(rest.every(([, s]) => s === 'collected'), JSON.stringify(rest)).toBe(true);
    expect(snapshot.aws.accountAssignments.data).toHaveLength(org.shape.accountAssignments!);
  }, 60_000);
});

describe('an interrupted collect', () => {
  it('leaves neither a snapshot nor a temporary file behind (Ctrl-C mid-run)', async () => {
    const org = generateOrg('S', 7);
    // Real-time limits and latency: the run takes several seconds, long enough to interrupt.
    const fakes = await startFakes(org, { timing: { timeScale: 1, enforceLimits: true, latencyMs: 50 } });
    const dir = tempDir('jitaudit-sigint-');
    writeFileSync(join(dir, 'c.yaml'), JSON.stringify(org.config));
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin/jitaudit.js'), 'collect', '--config', join(dir, 'c.yaml'), '--out', join(dir, 'snapshot.json'), '--quiet'], {
        cwd: dir,
        env: { ...process.env, ...Object.fromEntries(Object.entries({ ...fakes.env, JITAUDIT_RATE_SCALE: '1', JITAUDIT_GRAPH_TIME_SCALE: '1' }).filter(([, v]) => v !== undefined)) },
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      // Wait (bounded) until the run is well under way on both clouds.
      for (let i = 0; i < 300 && (fakes.aws.calls.length < 20 || fakes.graph.httpRequests() < 2); i++) await new Promise((r) => setTimeout(r, 50));
      expect(fakes.aws.calls.length).toBeGreaterThanOrEqual(20);
      child.kill('SIGINT');
      const { code, signal } = await exited;
      expect(signal === 'SIGINT' || code === 130, `exit ${code} ${signal}`).toBe(true);
      expect(readdirSync(dir)).toEqual(['c.yaml']);
    } finally {
      await fakes.close();
    }
  }, 60_000);
});
