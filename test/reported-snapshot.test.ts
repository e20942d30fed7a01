// What the reports keep of the snapshot after the rules (src/report/reported-snapshot.ts).
import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit.js';
import { SECTION_PATHS, type Snapshot } from '../src/model/snapshot-schema.js';
import { reportedSnapshot } from '../src/report/reported-snapshot.js';
import { DEMO_SNAPSHOT_FILE, demoConfig } from './helpers/demo.js';

describe('the snapshot as reports keep it', () => {
  let whole: Snapshot | undefined;
  const result = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false, onSnapshot: (s) => (whole = s) });

  it('has every section with its provenance, the data of the sections reports read, no other data', () => {
    const kept = result.snapshot.model;
    const withData: string[] = [];
    for (const path of SECTION_PATHS) {
      const [side, name] = path.split('.') as ['entra' | 'aws', string];
      const mine = (kept[side] as unknown as Record<string, Record<string, unknown>>)[name]!;
      const original = (whole![side] as unknown as Record<string, Record<string, unknown>>)[name]!;
      expect(mine.provenance, path).toBe(original.provenance);
      if ('data' in mine) {
        expect(mine, path).toBe(original);
        withData.push(path);
      } else expect(Object.keys(mine), path).toEqual(['provenance']);
    }
    expect(withData.sort()).toEqual(['aws.cloudTrail', 'aws.iamUsers', 'aws.identityCenter', 'aws.organization', 'entra.activations', 'entra.tenant']);
    expect(kept.meta).toBe(whole!.meta);
  });

  it('is made without changing the snapshot it comes from', () => {
    const before = JSON.stringify(whole);
    reportedSnapshot(whole!);
    expect(JSON.stringify(whole)).toBe(before);
  });
});
