import { describe, expect, it } from 'vitest';
import { PATH_KINDS } from '../src/analyze/types.js';
import { runAudit } from '../src/audit.js';
import { renderTimelines } from '../src/report/html/timelines.js';
import { DEFAULT_HTML_LIMITS } from '../src/report/html/limits.js';
import { analyzeDemo, DEMO_SNAPSHOT_FILE, demoConfig, pathOf } from './helpers/demo.js';

describe('access paths of the demo organisation', () => {
  const analysis = analyzeDemo();

  it('draws every path kind', () => {
    const kinds = new Set(analysis.accessPaths.map((p) => p.kind));
    expect([...kinds].sort()).toEqual([...PATH_KINDS].sort());
  });

  it('computes the AWS blog example: a 1-hour activation that lasts 10 h 40 min', () => {
    const [rich] = pathOf(analysis, 'rich.roe', 'EC2AdminAccess');
    expect(rich).toMatchObject({ kind: 'pim-eligible', standing: false, group: { name: 'AWS - Amazon EC2 Admin' } });
    expect(rich!.window).toMatchObject({ total: 'PT10H40M', unbounded: false, known: true });
    const t = rich!.window!.terms;
    expect([t.activation.value, t.scimLag.value, t.portalSession.value, t.permissionSetSession.value]).toEqual(['PT1H', 'PT40M', 'PT8H', 'PT1H']);
    expect(t.portalSession.provenance.status).toBe('default');
    expect(t.activation.provenance).toMatchObject({ status: 'collected' });
    expect(t.scimLag.provenance.source).toContain('schedule interval');
  });

  it('an eligible member is JIT; one activated right now is still JIT, with the activation end', () => {
    const [alice] = pathOf(analysis, 'alice.kim', 'AdministratorAccess', '222222222222');
    expect(alice).toMatchObject({ kind: 'pim-eligible', standing: false, activeNow: false });
    const [bob] = pathOf(analysis, 'bob.lee', 'AdministratorAccess', '222222222222');
    expect(bob).toMatchObject({ kind: 'pim-eligible', standing: false, activeNow: true, activeUntil: '2026-10-01T07:00:00Z' });
    // Bob appears in /members because he is activated: that must not make him a standing member.
    expect(pathOf(analysis, 'bob.lee', 'AdministratorAccess').every((p) => p.kind === 'pim-eligible')).toBe(true);
  });

  it('a PIM active assignment is standing even though it has an end date', () => {
    const [carol] = pathOf(analysis, 'carol.diaz', 'AdministratorAccess', '222222222222');
    expect(carol).toMatchObject({ kind: 'pim-active', standing: true, window: null });
    expect(carol!.schedule?.end).toBe('2026-12-31T08:00:00Z');
  });

  it('a member added outside PIM to a PIM group is a standing direct member', () => {
    const [dave] = pathOf(analysis, 'dave.park', 'AdministratorAccess', '222222222222');
    expect(dave).toMatchObject({ kind: 'direct-member', standing: true });
  });

  it('an owner is standing; an owner whose ownership is PIM-eligible is not, and has a window', () => {
    const [erin] = pathOf(analysis, 'erin.fox', 'AdministratorAccess', '222222222222');
    expect(erin).toMatchObject({ kind: 'owner', standing: true, window: null });
    const [frank] = pathOf(analysis, 'frank.hall', 'AdministratorAccess', '222222222222');
    expect(frank).toMatchObject({ kind: 'owner', standing: false });
    // The owner policy's activation maximum (PT1H), not the member policy's (PT2H).
    expect(frank!.window?.terms.activation.value).toBe('PT1H');
  });

  it('a direct Identity Center user assignment bypasses Entra groups', () => {
    const ken = pathOf(analysis, 'ken.obi', 'AdministratorAccess', '666666666666');
    expect(ken).toHaveLength(1);
    expect(ken[0]).toMatchObject({ kind: 'direct-assignment', standing: true, group: null });
  });

  it('an Identity Center group with no Entra source gives unmanaged, standing paths', () => {
    const [contractor] = pathOf(analysis, 'contractor-ops', 'AdministratorAccess');
    expect(contractor).toMatchObject({ kind: 'unmanaged-ic', standing: true, group: { name: 'legacy-admins' }, principal: { entraUserId: null } });
  });

  it('an eligibility that ended before the snapshot gives no path', () => {
    expect(pathOf(analysis, 'liam.sol', 'EC2AdminAccess')).toHaveLength(0);
  });

  it('classifies accounts and permission sets from the config', () => {
    const [alice] = pathOf(analysis, 'alice.kim', 'PlatformBreakFix');
    expect(alice!.account.environment).toBe('prod');
    expect(alice!.permissionSet.tier).toBe('admin'); // inline policy allowing * on *
    const [judy] = pathOf(analysis, 'judy.wu', 'PowerUser', '444444444444');
    expect(judy!.account.environment).toBe('non-prod');
  });

  it('gives every path a unique id, in a stable order', () => {
    const ids = analysis.accessPaths.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('PIM schedules at the edges', () => {
  it('ends an "afterDuration" eligibility at start + duration', () => {
    const analysis = analyzeDemo((s) => {
      const rich = s.entra.pimSchedules.data!.eligibilitySchedules[0]!;
      rich.scheduleInfo = { startDateTime: '2026-09-01T00:00:00Z', expiration: { type: 'afterDuration', endDateTime: null, duration: 'P10D' } };
    });
    expect(pathOf(analysis, 'rich.roe', 'EC2AdminAccess')).toHaveLength(0); // ended 2026-09-11
  });

  it('keeps a live activation whose eligibility has ended as a JIT path until the activation ends', () => {
    const analysis = analyzeDemo((s) => {
      const bob = s.entra.pimSchedules.data!.eligibilitySchedules.find((e) => e.id.includes('_member_') && e.principalId === s.entra.users.data!.find((u) => u.userPrincipalName.startsWith('bob'))!.id)!;
      bob.scheduleInfo.expiration.endDateTime = '2026-10-01T05:30:00Z'; // ended during the activation
    });
    const [bob] = pathOf(analysis, 'bob.lee', 'AdministratorAccess', '222222222222');
    expect(bob).toMatchObject({ kind: 'pim-eligible', standing: false, activeNow: true, activeUntil: '2026-10-01T07:00:00Z', schedule: null });
  });
});

describe('the SCIM lag term', () => {
  it('is unbounded — and so is every JIT window — when the provisioning job is in quarantine', () => {
    const analysis = analyzeDemo((s) => {
      const job = s.entra.provisioning.data!.jobs[0]!;
      job.status.code = 'Quarantine';
      job.status.quarantine = { currentBegan: '2026-09-30T22:00:00Z', nextAttempt: null, reason: 'EncounteredQuarantineException', seriesBegan: null, seriesCount: 3 };
    });
    const [rich] = pathOf(analysis, 'rich.roe', 'EC2AdminAccess');
    expect(rich!.window).toMatchObject({ total: null, unbounded: true });
    expect(rich!.window!.terms.scimLag.provenance.source).toContain('quarantine since 2026-09-30T22:00:00Z');
    expect(analysis.accessPaths.filter((p) => !p.standing).every((p) => p.window?.unbounded)).toBe(true);
  });

  it('is unbounded when no run of the job completed within the grace period', () => {
    const analysis = analyzeDemo((s) => {
      const status = s.entra.provisioning.data!.jobs[0]!.status;
      // 3 h before the snapshot; grace PT2H
      status.lastExecution!.timeEnded = '2026-10-01T03:00:00Z';
      status.lastSuccessfulExecution!.timeEnded = '2026-10-01T03:00:00Z';
    });
    expect(pathOf(analysis, 'rich.roe', 'EC2AdminAccess')[0]!.window!.unbounded).toBe(true);
  });

  it('stays the interval, with the degradation named, when only the last error-free run lags (objects in error)', () => {
    const analysis = analyzeDemo((s) => {
      s.entra.provisioning.data!.jobs[0]!.status.lastSuccessfulExecution!.timeEnded = '2026-10-01T03:00:00Z';
    });
    const lag = pathOf(analysis, 'rich.roe', 'EC2AdminAccess')[0]!.window!.terms.scimLag;
    expect(lag.unbounded).toBe(false);
    expect(lag.provenance.source).toMatch(/^provisioning job schedule interval \(degraded: /);
  });

  it('is the assumed lag, declared, when the provisioning job could not be read', () => {
    const analysis = analyzeDemo((s) => {
      s.entra.provisioning = { provenance: { status: 'missing', error: { status: 403, code: 'Forbidden', message: 'no' }, fix: 'Synchronization.Read.All' }, data: null };
    });
    const t = pathOf(analysis, 'rich.roe', 'EC2AdminAccess')[0]!.window!.terms.scimLag;
    expect(t).toMatchObject({ value: 'PT40M', provenance: { status: 'declared' } });
    expect(analysis.incomplete).toContain('entra.provisioning');
  });

  it('uses the portal session declared in the snapshot, with its provenance', () => {
    const analysis = analyzeDemo((s) => {
      s.aws.portalSession = { provenance: { status: 'declared', source: 'config: aws.portalSessionDuration' }, data: { duration: 'PT1H' } };
    });
    const w = pathOf(analysis, 'rich.roe', 'EC2AdminAccess')[0]!.window!;
    expect(w.total).toBe('PT3H40M');
    expect(w.terms.portalSession.provenance).toMatchObject({ status: 'declared' });
  });
});

describe('a very large group', () => {
  it('gives one path per member even past the engine\'s argument limit (200,000 members), and its HTML is made', () => {
    const members = 200_000;
    const analysis = analyzeDemo((s) => {
      const group = s.entra.groups.data!.find((g) => g.displayName === 'AWS - Prod Admins')!;
      for (let i = 0; i < members; i++) group.members.push({ id: `bulk-${i}`, type: 'user', displayName: `Bulk ${i}` });
    });
    const bulk = analysis.accessPaths.filter((p) => p.principal.entraUserId?.startsWith('bulk-'));
    // Each member, through every account and permission set the group is assigned.
    const targets = new Set(bulk.map((p) => `${p.account.id}|${p.permissionSet.arn}`)).size;
    expect(targets).toBeGreaterThan(0);
    expect(bulk).toHaveLength(members * targets);
    expect(bulk.every((p) => p.kind === 'direct-member' && p.standing)).toBe(true);

    // As many JIT paths for the timelines (one window shared): their scale is found without a spread.
    const jit = analysis.accessPaths.find((p) => !p.standing && p.window)!;
    const many = Array.from({ length: members }, (_, i) => ({ ...jit, id: `${jit.id}:${i}` }));
    const demo = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
    // All of one JIT grant, target and window (path-parts.ts): number 0, 0 and 1.
    const pathParts = { grant: new Int32Array(members), target: new Int32Array(members), window: new Int32Array(members).fill(1), counts: { grant: 1, target: 1, window: 2 } };
    const result = { ...demo, analysis: { ...analysis, accessPaths: many, pathParts } };
    expect(renderTimelines(result, DEFAULT_HTML_LIMITS).toString()).toContain(`Showing ${DEFAULT_HTML_LIMITS.timelines.toLocaleString("en-US")} of ${members.toLocaleString("en-US")}`);
  });
});
