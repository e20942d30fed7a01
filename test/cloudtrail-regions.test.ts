// Where console sign-ins are recorded (AWS CloudTrail user guide, "AWS Management Console sign-in
// events"; test/fixtures/cloudtrail/SOURCE.md): root in us-east-1; IAM users through the global
// endpoint in us-east-1, us-east-2, eu-north-1 or ap-southeast-2; through a Regional endpoint, in
// that Region. Breakglass users are searched in all of them, and the snapshot says where it looked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupRegions, planLookups } from '../src/collect/aws/cloudtrail.js';
import { loadConfig, type ConfigFile } from '../src/model/config.js';
import { trailRegions } from '../src/report/html/coverage.js';
import { collectFromFake } from './helpers/aws.js';
import { IC_REGION, MGMT, PROD, e2eScenario } from './fake-cloud/aws/scenarios.js';

describe('which Regions are searched', () => {
  it('root: us-east-1, the Identity Center Region and the configured ones; breakglass users also us-east-2, eu-north-1, ap-southeast-2', () => {
    expect(lookupRegions('eu-west-1')).toEqual({
      root: ['eu-west-1', 'us-east-1'],
      breakglass: ['ap-southeast-2', 'eu-north-1', 'eu-west-1', 'us-east-1', 'us-east-2'],
    });
    expect(lookupRegions(null, ['eu-central-1', 'us-east-1'])).toEqual({
      root: ['eu-central-1', 'us-east-1'],
      breakglass: ['ap-southeast-2', 'eu-central-1', 'eu-north-1', 'us-east-1', 'us-east-2'],
    });
  });

  it('plans one lookup per account, Region and user, deduplicated', () => {
    const specs = planLookups({
      accountIds: ['111111111111', '222222222222'],
      breakglass: [{ account: '111111111111', userName: 'bg' }],
      regions: lookupRegions('us-east-2'),
      identityCenter: null,
    });
    expect(specs.filter((s) => s.value === 'root').map((s) => `${s.accountId}|${s.region}`)).toEqual([
      '111111111111|us-east-1',
      '111111111111|us-east-2',
      '222222222222|us-east-1',
      '222222222222|us-east-2',
    ]);
    expect(specs.filter((s) => s.value === 'bg').map((s) => s.region)).toEqual(['ap-southeast-2', 'eu-north-1', 'us-east-1', 'us-east-2']);
  });

  it('aws.cloudTrailRegions takes Region codes only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitaudit-regions-'));
    writeFileSync(join(dir, 'ok.yaml'), 'aws:\n  cloudTrailRegions: [eu-central-1, us-gov-west-1]\n');
    expect(loadConfig(join(dir, 'ok.yaml')).raw.aws?.cloudTrailRegions).toEqual(['eu-central-1', 'us-gov-west-1']);
    writeFileSync(join(dir, 'bad.yaml'), 'aws:\n  cloudTrailRegions: [Frankfurt]\n');
    expect(() => loadConfig(join(dir, 'bad.yaml'))).toThrow(/cloudTrailRegions\/0/);
  });
});

describe('collectAws finds breakglass sign-ins wherever they were recorded', () => {
  const scenario = e2eScenario();
  // A sign-in through the Frankfurt Regional endpoint, and root activity there.
  scenario.cloudTrail[`${MGMT}|eu-central-1`] = [
    {
      eventVersion: '1.05',
      eventID: 'ev-bg1-eu-central-1',
      eventTime: new Date(Date.now() - 6 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      awsRegion: 'eu-central-1',
      sourceIPAddress: '192.0.2.0',
      recipientAccountId: MGMT,
      userIdentity: { type: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', arn: `arn:aws:iam::${MGMT}:user/breakglass-1`, accountId: MGMT, userName: 'breakglass-1' },
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MobileVersion: 'No', MFAUsed: 'Yes' },
    },
  ];
  const CONFIG: ConfigFile = {
    aws: { identityCenterRegion: IC_REGION, memberAccountRoleName: 'JitAuditReadOnly', cloudTrailRegions: ['eu-central-1'] },
    breakglass: { users: [{ account: MGMT, userName: 'breakglass-1' }] },
  };
  const collected = collectFromFake(scenario, CONFIG);

  it('records every Region it searched in the lookups, for root and for the breakglass user', () => {
    const lookups = collected.aws.cloudTrail.data!.lookups;
    const regionsOf = (account: string, value: string) => lookups.filter((l) => l.accountId === account && l.value === value).map((l) => l.region);
    expect(regionsOf(MGMT, 'breakglass-1')).toEqual(['ap-southeast-2', 'eu-central-1', 'eu-north-1', IC_REGION, 'us-east-1', 'us-east-2']);
    expect(regionsOf(PROD, 'root')).toEqual(['eu-central-1', IC_REGION, 'us-east-1']);
    // Every lookup made is one LookupEvents call per page in that account and Region.
    const called = new Set(collected.fake.calls.filter((c) => c.operation === 'cloudtrail:LookupEvents').map((c) => `${c.account}|${c.region}`));
    for (const l of lookups.filter((x) => x.provenance.status === 'collected')) expect(called.has(`${l.accountId}|${l.region}`)).toBe(true);
  });

  it('finds the sign-ins recorded in eu-north-1, ap-southeast-2 (global endpoint) and eu-central-1 (Regional endpoint)', () => {
    const byId = new Map(collected.aws.cloudTrail.data!.events.map((e) => [e.eventId, e]));
    expect(byId.get('ev-bg1-failed-eu-north-1')).toMatchObject({ region: 'eu-north-1', outcome: 'Failure' });
    expect(byId.get('ev-bg1-ap-southeast-2')).toMatchObject({ region: 'ap-southeast-2', outcome: 'Success' });
    expect(byId.get('ev-bg1-eu-central-1')).toMatchObject({ region: 'eu-central-1', outcome: 'Success' });
  });

  it('shows the Regions searched in the HTML coverage table, escaped, with failed lookups marked', () => {
    const lookups = structuredClone(collected.aws.cloudTrail.data!.lookups);
    const failed = lookups.find((l) => l.value === 'breakglass-1' && l.region === 'eu-north-1')!;
    failed.provenance = { status: 'missing', error: { status: 400, code: 'AccessDenied', message: 'denied' }, fix: null };
    lookups.push({ ...lookups[0]!, attribute: 'Username', value: '<img src=x>' });
    const row = String(trailRegions(lookups));
    expect(row).toContain('aws.cloudTrail Regions');
    expect(row).toContain('breakglass user breakglass-1: <span class="mono">ap-southeast-2, eu-central-1, <span class="prov-missing">eu-north-1 ⚠</span>, eu-west-1, us-east-1, us-east-2</span>');
    // The sandbox account's role cannot be assumed: its root lookups failed, 1 of 4 accounts per Region.
    expect(row).toContain('root (4 accounts): <span class="mono"><span class="prov-missing">eu-central-1 ⚠ 1/4</span>, <span class="prov-missing">eu-west-1 ⚠ 1/4</span>, <span class="prov-missing">us-east-1 ⚠ 1/4</span></span>');
    expect(row).toContain('breakglass user &lt;img src=x&gt;');
    expect(row).not.toContain('<img');
  });
});
