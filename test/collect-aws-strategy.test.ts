// The account-assignment strategy: fewest calls for the shape of the organisation, counted by the fake.
import { afterEach, describe, expect, it } from 'vitest';
import { chooseStrategy, type AssignmentPlan } from '../src/collect/aws/account-assignments.js';
import { collectAws } from '../src/collect/aws/index.js';
import { FakeAws } from './fake-cloud/aws/server.js';
import { IC_REGION, shapeScenario } from './fake-cloud/aws/scenarios.js';
import { context, withFakeEnv, FAST } from './helpers/aws.js';

const CONFIG = { aws: { identityCenterRegion: IC_REGION } };

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function collect(scenario: ReturnType<typeof shapeScenario>) {
  const fake = new FakeAws(scenario);
  await fake.start();
  const restore = withFakeEnv(fake);
  cleanup = async () => {
    restore();
    await fake.stop();
  };
  let plan: AssignmentPlan | null = null;
  const aws = await collectAws(context(CONFIG), { ...FAST, onAssignmentPlan: (p) => (plan = p) });
  const count = (op: string) => fake.count(`sso-admin:${op}`);
  return {
    aws,
    plan: plan as AssignmentPlan | null,
    calls: {
      discover: count('ListAccountsForProvisionedPermissionSet'),
      perPair: count('ListAccountAssignments'),
      perPrincipal: count('ListAccountAssignmentsForPrincipal'),
    },
  };
}

describe('chooseStrategy', () => {
  it('goes per principal when there are no more principals than permission sets', () => {
    expect(chooseStrategy(5, 5, null)).toBe('per-principal');
    expect(chooseStrategy(5, 2, null)).toBe('per-principal');
  });
  it('discovers the provisioned pairs otherwise, then takes the cheaper', () => {
    expect(chooseStrategy(3, 40, null)).toBe('discover');
    expect(chooseStrategy(3, 40, 6)).toBe('per-pair');
    expect(chooseStrategy(3, 40, 40)).toBe('per-pair');
    expect(chooseStrategy(3, 40, 41)).toBe('per-principal');
  });
});

describe('the assignment strategy, counted by the fake', () => {
  it('many accounts, few principals (U + G ≤ P): per principal, U + G calls, no discovery', async () => {
    // 30 accounts × 3 permission sets, 1 user + 1 group holding everything: 90 pairs.
    const { aws, plan, calls } = await collect(shapeScenario({ accounts: 30, permissionSets: 3, users: 1, groups: 1, assignments: 'every-account' }));
    expect(calls).toEqual({ discover: 0, perPair: 0, perPrincipal: 2 });
    expect(plan).toMatchObject({ strategy: 'per-principal', permissionSets: 3, principals: 2, provisionedPairs: null });
    expect(aws.accountAssignments.data).toHaveLength(2 * 30 * 3);
    expect(aws.accountAssignments.provenance).toMatchObject({ source: expect.stringMatching(/^sso-admin:ListAccountAssignmentsForPrincipal \(per principal/) });
  });

  it('many accounts, a few more principals than permission sets: discovers N = 90 > 5, then per principal: P + U + G calls', async () => {
    const { aws, plan, calls } = await collect(shapeScenario({ accounts: 30, permissionSets: 3, users: 3, groups: 2, assignments: 'every-account' }));
    expect(calls).toEqual({ discover: 3, perPair: 0, perPrincipal: 5 });
    expect(plan).toMatchObject({ strategy: 'per-principal', provisionedPairs: 90, perPairCalls: 93, perPrincipalCalls: 5 });
    expect(aws.accountAssignments.data).toHaveLength(5 * 30 * 3);
  });

  it('few accounts, many principals: per pair, P + N calls', async () => {
    // 2 accounts, 3 permission sets provisioned to one account each, 40 users + 5 groups.
    const { aws, plan, calls } = await collect(shapeScenario({ accounts: 2, permissionSets: 3, users: 40, groups: 5, assignments: 'few' }));
    expect(calls).toEqual({ discover: 3, perPair: 3, perPrincipal: 0 });
    expect(plan).toMatchObject({ strategy: 'per-pair', permissionSets: 3, principals: 45, provisionedPairs: 3, perPairCalls: 6 });
    expect(aws.accountAssignments.data).toHaveLength(45 * 3);
    expect(aws.accountAssignments.provenance).toMatchObject({ source: expect.stringMatching(/^sso-admin:ListAccountsForProvisionedPermissionSet, ListAccountAssignments \(per \(account, permission set\) pair/) });
  });

  it('both strategies find the same assignments', async () => {
    const shape = { accounts: 4, permissionSets: 2, users: 3, groups: 1, assignments: 'every-account' as const };
    const a = await collect(shapeScenario(shape));
    await cleanup?.();
    cleanup = null;
    const scenario = shapeScenario({ ...shape, users: 30 });
    scenario.identityCenter.assignments = shapeScenario(shape).identityCenter.assignments;
    const b = await collect(scenario);
    expect(a.plan!.strategy).toBe('per-principal');
    expect(b.plan!.strategy).toBe('per-pair');
    expect(b.aws.accountAssignments.data).toEqual(a.aws.accountAssignments.data);
  });

  it('falls back to per pair when ListAccountAssignmentsForPrincipal is refused', async () => {
    const scenario = shapeScenario({ accounts: 3, permissionSets: 2, users: 1, groups: 0, assignments: 'every-account' });
    scenario.faults = { deny: [{ operation: 'sso-admin:ListAccountAssignmentsForPrincipal' }] };
    const { aws, plan, calls } = await collect(scenario);
    expect(plan!.strategy).toBe('per-pair');
    expect(calls).toEqual({ discover: 2, perPair: 6, perPrincipal: 1 });
    expect(aws.accountAssignments.data).toHaveLength(6);
  });
});
