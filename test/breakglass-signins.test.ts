// Sign-in outcomes on real CloudTrail records (test/fixtures/cloudtrail/SOURCE.md): a failed
// ConsoleLogin of root or a breakglass user is an attempt — its own, lower finding — not a use.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseEvent } from '../src/collect/aws/cloudtrail.js';
import type { TrailEventT } from '../src/model/snapshot-schema.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

const ACCOUNT = '111122223333';
const record = (name: string) => readFileSync(new URL(`./fixtures/cloudtrail/${name}.json`, import.meta.url), 'utf8');

/** A fixture as LookupEvents returns it (the record is its CloudTrailEvent), normalised. */
function normalised(name: string, lookupRegion = 'us-east-1'): TrailEventT {
  const text = record(name);
  const r = JSON.parse(text) as { eventID: string; eventName: string; eventSource: string; eventTime: string; userIdentity: { type: string; userName?: string } };
  const e = normaliseEvent(
    {
      EventId: r.eventID,
      EventName: r.eventName,
      EventSource: r.eventSource,
      EventTime: new Date(r.eventTime),
      Username: r.userIdentity.type === 'Root' ? 'root' : r.userIdentity.userName,
      CloudTrailEvent: text,
    },
    { accountId: ACCOUNT, region: lookupRegion },
  );
  expect(e, name).not.toBeNull();
  return e!;
}

describe('normaliseEvent reads the outcome of every sign-in event kind', () => {
  it.each([
    ['console-login-iam-failure', 'Failure', 'Failed authentication', true],
    ['console-login-root-failure', 'Failure', 'Failed authentication', false],
    ['console-login-iam-success-mfa', 'Success', null, true],
    ['console-login-root-success-no-mfa', 'Success', null, false],
    // The outcome under the event's own name: responseElements.CheckMfa, serviceEventDetails.<name>.
    ['check-mfa-iam', 'Success', null, null],
    ['identity-center-credential-challenge', 'Success', null, null],
    ['identity-center-credential-verification-failure', 'Failure', null, null],
  ])('%s → %s', (name, outcome, errorMessage, mfaUsed) => {
    expect(normalised(name)).toMatchObject({ outcome, errorMessage, mfaUsed });
  });

  it('keeps the Region the sign-in was recorded in', () => {
    expect(normalised('console-login-iam-success-no-mfa-us-east-2', 'us-east-2')).toMatchObject({
      region: 'us-east-2',
      accountId: ACCOUNT,
      userIdentity: { type: 'IAMUser', userName: 'anaya' },
      mfaUsed: false,
      outcome: 'Success',
    });
  });
});

describe('breakglass and root events: use, failed sign-in, or a step of one', () => {
  const base = demoConfig();
  // The fixtures' IAM user, declared a breakglass user; their account has no drills declared.
  const config = { ...base, breakglass: [...base.breakglass, { account: ACCOUNT, userName: 'anaya' }] };
  const rules = loadRules({ dirs: [], config });
  const FIXTURES = [
    'console-login-iam-failure',
    'console-login-root-failure',
    'check-mfa-iam',
    'console-login-iam-success-no-mfa-us-east-2',
    'console-login-root-success-no-mfa',
  ];
  const analysis = analyzeDemo((s) => {
    s.aws.cloudTrail.data!.events.push(...FIXTURES.map((n) => normalised(n)));
  }, config);
  const rulesFor = (name: string) => {
    const id = (JSON.parse(record(name)) as { eventID: string }).eventID;
    return evaluateRules(rules, analysis, config)
      .filter((f) => f.finding.object.id === id)
      .map((f) => f.finding.ruleId)
      .sort();
  };

  it('describes each event: use, failedSignIn, signIn', () => {
    const data = (name: string) => analysis.resources.breakglassEvents!.find((i) => i.data.eventId === (JSON.parse(record(name)) as { eventID: string }).eventID)!.data;
    expect(data('console-login-iam-failure')).toMatchObject({ actor: 'breakglass', signIn: true, use: false, failedSignIn: true, outcome: 'Failure', errorMessage: 'Failed authentication' });
    expect(data('console-login-root-failure')).toMatchObject({ actor: 'root', use: false, failedSignIn: true });
    expect(data('check-mfa-iam')).toMatchObject({ signIn: true, use: false, failedSignIn: false });
    expect(data('console-login-iam-success-no-mfa-us-east-2')).toMatchObject({ use: true, failedSignIn: false, region: 'us-east-2' });
  });

  it('a failed breakglass sign-in is breakglass-sign-in-failed only, not a use', () => {
    expect(rulesFor('console-login-iam-failure')).toEqual(['breakglass-sign-in-failed']);
  });

  it('a failed root sign-in is breakglass-sign-in-failed only, not root activity', () => {
    expect(rulesFor('console-login-root-failure')).toEqual(['breakglass-sign-in-failed']);
  });

  it('an MFA check is a step of a sign-in: no finding by itself', () => {
    expect(rulesFor('check-mfa-iam')).toEqual([]);
  });

  it('successful sign-ins without MFA stay uses', () => {
    expect(rulesFor('console-login-iam-success-no-mfa-us-east-2')).toEqual(['breakglass-sign-in-without-mfa', 'breakglass-use-undeclared']);
    expect(rulesFor('console-login-root-success-no-mfa')).toEqual(['breakglass-sign-in-without-mfa', 'root-activity']);
  });

  it('the failed-sign-in finding is medium, below a use, and names the error and the Region', () => {
    const f = evaluateRules(rules, analysis, config).find((x) => x.finding.ruleId === 'breakglass-sign-in-failed' && x.finding.object.id === 'd38ce1b3-4575-4cb8-a632-611b8243bfc3')!;
    expect(f.finding.severity).toBe('medium');
    expect(f.rule.def.severity).toBe('medium');
    expect(rules.find((r) => r.def.id === 'breakglass-use-undeclared')!.def.severity).toBe('high');
    expect(f.finding.message).toContain('Failed authentication');
    expect(f.finding.message).toContain('recorded in us-east-1');
  });

  it('the demo has a failed breakglass sign-in recorded in eu-north-1', () => {
    const demo = analyzeDemo();
    const fired = evaluateRules(loadRules({ dirs: [], config: base }), demo, base).filter((f) => f.finding.ruleId === 'breakglass-sign-in-failed');
    expect(fired.map((f) => f.finding.message)).toEqual([expect.stringContaining('recorded in eu-north-1')]);
  });
});
