// `jitaudit collect` with no --only: both collectors side by side (fake Graph and fake AWS on
// 127.0.0.1), one snapshot with every section collected, that `audit` reads. Needs dist/.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../src/model/load-snapshot.js';
import { SECTION_PATHS } from '../src/model/snapshot-schema.js';
import { FakeAws } from './fake-cloud/aws/server.js';
import { IC_REGION, e2eScenario } from './fake-cloud/aws/scenarios.js';
import { startFakeGraph, type FakeGraph } from './fake-cloud/graph/server.js';
import { contoso } from './fake-cloud/graph/scenario.js';
import { jitauditAsync, tempDir, type Run } from './helpers/cli.js';

describe('jitaudit collect (both clouds)', () => {
  const aws = new FakeAws(e2eScenario());
  let graph: FakeGraph;
  const dir = tempDir('jitaudit-both-');
  const out = join(dir, 'snapshot.json');
  let run: Run;

  beforeAll(async () => {
    graph = await startFakeGraph(contoso(), { token: 't' });
    await aws.start();
    writeFileSync(join(dir, 'c.yaml'), `aws: {identityCenterRegion: ${IC_REGION}, portalSessionDuration: PT1H}\n`);
    run = await jitauditAsync(['collect', '--config', join(dir, 'c.yaml'), '--out', out], dir, {
      ...aws.env(),
      JITAUDIT_RATE_SCALE: '100',
      JITAUDIT_GRAPH_BASE_URL: graph.baseUrl,
      JITAUDIT_GRAPH_TOKEN: 't',
      JITAUDIT_GRAPH_TIME_SCALE: '100',
    });
  }, 60_000);
  afterAll(async () => {
    await graph.close();
    await aws.stop();
  });

  it('collects every section of both halves into one valid snapshot', () => {
    expect(run.code, run.stderr).toBe(0);
    const { snapshot } = loadSnapshot(out);
    const statuses = Object.fromEntries(
      SECTION_PATHS.map((p) => {
        const [side, name] = p.split('.') as ['entra' | 'aws', string];
        return [p, (snapshot[side] as unknown as Record<string, { provenance: { status: string } }>)[name]!.provenance.status];
      }),
    );
    expect(statuses).toEqual(Object.fromEntries(SECTION_PATHS.map((p) => [p, p === 'aws.portalSession' ? 'declared' : 'collected'])));
    expect(snapshot.aws.portalSession.data).toEqual({ duration: 'PT1H' });
    // The optional eligibility history, which SECTION_PATHS does not list, is written and read back.
    expect(snapshot.entra.eligibilityRequests?.provenance.status).toBe('collected');
    expect(snapshot.entra.eligibilityRequests!.data!.map((r) => [r.id, r.action, r.status])).toEqual([
      ['ereq-erin-assign', 'adminAssign', 'Provisioned'],
      ['ereq-dave-failed', 'adminAssign', 'Failed'],
      ['ereq-erin-remove', 'adminRemove', 'Revoked'],
    ]);
    expect(Date.parse(snapshot.meta.collection.endedAt)).toBeGreaterThanOrEqual(Date.parse(snapshot.meta.collection.startedAt));
    expect(snapshot.meta.configDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves no temporary file beside the snapshot', () => {
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('is read by audit, whose gate fails on the account that could not be read unless allowed', async () => {
    const blocked = await jitauditAsync(['audit', '--snapshot', out, '--format', 'json', '--out', join(dir, 'r0'), '--fail-on', 'none'], dir);
    expect(blocked.code, blocked.stderr).toBe(4);
    expect(blocked.stdout).toContain('aws.iamUsers[444444444444]');
    const a = await jitauditAsync(['audit', '--snapshot', out, '--format', 'json', '--out', join(dir, 'r'), '--fail-on', 'none', '--allow-incomplete'], dir);
    expect(a.code, a.stderr).toBe(0);
    expect(existsSync(join(dir, 'r/report.json'))).toBe(true);
    const incomplete = JSON.parse(readFileSync(join(dir, 'r/report.json'), 'utf8')).summary.incomplete as string[];
    // The scenario denies AssumeRole in one account: only per-account entries, no whole section.
    expect(incomplete).toContain('aws.iamUsers[444444444444]');
    expect(incomplete.every((entry) => /\[\d{12}[\]/]/.test(entry))).toBe(true);
  });
});
