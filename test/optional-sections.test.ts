// The optional sections (entra.deletedUsers, entra.eligibilityRequests): a snapshot that asked for one
// and could not read it (provenance `missing`) is incomplete there, and the gate holds for the rules
// whose collection is built from it, and only for those; a snapshot without the section at all (written
// before it was collected) is audited exactly as before.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit.js';
import { renderSummaryMd } from '../src/evidence/summary-md.js';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import { renderCoverage } from '../src/report/html/coverage.js';
import { incompleteSections } from '../src/analyze/analyze.js';
import { allowIncompleteFrom } from '../src/cli/shared-options.js';
import { ALL_SECTION_PATHS, OPTIONAL_SECTION_PATHS, SECTION_PATHS, type Snapshot } from '../src/model/snapshot-schema.js';
import { evaluateRules, gate } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { RESOURCE_TYPES } from '../src/rules/resource-types.js';
import { analyzeDemo, demoConfig, demoSnapshot } from './helpers/demo.js';

const config = demoConfig();
const rules = loadRules({ dirs: [], config });
const failure = { provenance: { status: 'missing' as const, error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges' }, fix: 'User.Read.All' }, data: null };

const missingDeleted = (s: Snapshot) => {
  s.entra.deletedUsers = failure;
};
const missingEligibility = (s: Snapshot) => {
  s.entra.eligibilityRequests = failure;
};
const absentBoth = (s: Snapshot) => {
  delete s.entra.deletedUsers;
  delete s.entra.eligibilityRequests;
};

function audit(mutate?: (s: Snapshot) => void) {
  const analysis = analyzeDemo(mutate, config);
  const findings = evaluateRules(rules, analysis, config);
  return { analysis, findings, gate: gate(findings, rules, analysis.incomplete, 'none', false) };
}
const rulesOver = (...resources: string[]) => rules.filter((r) => resources.includes(r.def.resource)).map((r) => r.def.id).sort();

describe('optional snapshot sections', () => {
  const baseline = audit();

  // The demo lacks only the portal session, which no rule needs (its rule reports it undeclared).
  const before = baseline.analysis.incomplete;

  it('the demo has both collected: neither is incomplete, the gate passes', () => {
    expect(before).toEqual(['aws.portalSession']);
    expect(baseline.gate).toMatchObject({ passed: true, blockingIncomplete: [] });
  });

  it('entra.deletedUsers missing: listed as incomplete, but it holds no gate: a deleted user then reads as absent, still drift', () => {
    const { analysis, gate: g, findings } = audit(missingDeleted);
    expect(analysis.incomplete).toEqual(['entra.deletedUsers', ...before]);
    expect(g).toMatchObject({ passed: true, blockingIncomplete: [] });
    // Every drift finding of the complete snapshot is still there (a deleted user is reported as absent).
    const drift = (list: typeof findings) => list.filter((f) => f.finding.ruleId === 'identity-center-user-drift').map((f) => f.finding.object.id).sort();
    expect(drift(baseline.findings).length).toBeGreaterThan(0);
    expect(drift(findings)).toEqual(expect.arrayContaining(drift(baseline.findings)));
  });

  it('entra.eligibilityRequests missing: listed as incomplete and held by the gate, which only the credential-fetch rules need', () => {
    const { analysis, gate: g } = audit(missingEligibility);
    expect(analysis.incomplete).toEqual(['entra.eligibilityRequests', ...before]);
    expect(g).toMatchObject({ passed: false, blockingIncomplete: ['entra.eligibilityRequests'] });
    const holding = rules.filter((r) => gate([], [r], analysis.incomplete, 'none', false).blockingIncomplete.length).map((r) => r.def.id).sort();
    expect(holding).toEqual(rulesOver('federationEvents'));
    expect(holding).toEqual(expect.arrayContaining(['access-after-activation-expired', 'access-without-activation', 'credential-fetch-unattributed']));
  });

  it('both missing: listed beside the section each completes, in report order', () => {
    const { analysis } = audit((s) => {
      missingDeleted(s);
      missingEligibility(s);
      s.entra.accessReviews = { ...failure };
    });
    expect(analysis.incomplete).toEqual(['entra.deletedUsers', 'entra.eligibilityRequests', 'entra.accessReviews', ...before]);
    expect(ALL_SECTION_PATHS.indexOf('entra.deletedUsers')).toBe(ALL_SECTION_PATHS.indexOf('entra.users') + 1);
    expect(ALL_SECTION_PATHS.indexOf('entra.eligibilityRequests')).toBe(ALL_SECTION_PATHS.indexOf('entra.activations') + 1);
    expect([...ALL_SECTION_PATHS].sort()).toEqual([...SECTION_PATHS, ...OPTIONAL_SECTION_PATHS].sort());
  });

  it('--allow-incomplete accepts them by name', () => {
    const { analysis, findings } = audit(missingEligibility);
    expect(gate(findings, rules, analysis.incomplete, 'none', allowIncompleteFrom('entra.eligibilityRequests'))).toMatchObject({ passed: true, allowIncomplete: true });
    expect(gate(findings, rules, analysis.incomplete, 'none', allowIncompleteFrom('entra.deletedUsers'))).toMatchObject({ passed: false });
    expect(() => allowIncompleteFrom('entra.deletedUser')).toThrow(/not a snapshot section/);
  });

  it('absent (a snapshot from before they were collected): not incomplete, same findings and gate as before', () => {
    const old = audit(absentBoth);
    expect(old.analysis.incomplete).toEqual(before);
    expect(old.gate).toMatchObject({ passed: true, blockingIncomplete: [] });
    // The data they add is judged without them, as before (deleted users read as absent, say), with no gap reported.
    const fingerprints = (list: typeof old.findings) => list.map((f) => f.finding.fingerprint).sort();
    expect(fingerprints(old.findings)).toEqual(fingerprints(baseline.findings));
    const s = demoSnapshot();
    absentBoth(s);
    expect(incompleteSections(s)).toEqual(before);
  });

  it('eligibility requests are needed by the credential fetches judged with them; deleted users by nothing', () => {
    expect(RESOURCE_TYPES.federationEvents!.needs).toContain('entra.eligibilityRequests');
    // No other collection claims them; none claims deleted users (their absence adds findings, hides none).
    for (const [name, type] of Object.entries(RESOURCE_TYPES)) {
      expect(type.needs, name).not.toContain('entra.deletedUsers');
      if (name !== 'federationEvents') expect(type.needs, name).not.toContain('entra.eligibilityRequests');
    }
  });
});

describe('optional sections in the coverage tables and the load check', () => {
  function auditFile(mutate: (s: Snapshot) => void) {
    const s = demoSnapshot();
    mutate(s);
    const dir = mkdtempSync(join(tmpdir(), 'jitaudit-optional-'));
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(s));
    return runAudit({ snapshotFile: file, config, ruleDirs: [], failOn: 'none', allowIncomplete: false });
  }

  it('a present optional section has its row in the HTML and Markdown coverage; an absent one has none', () => {
    const present = auditFile(missingDeleted);
    expect(renderCoverage(present).toString()).toMatch(/<th scope="row" class="mono">entra\.deletedUsers<\/th><td><span class="prov prov-missing">/);
    expect(renderSummaryMd(present, { rulePackSha256: 'x', diff: null })).toMatch(/\| `entra\.deletedUsers` \| \*\*MISSING\*\* \|/);
    const absent = auditFile(absentBoth);
    expect(renderCoverage(absent).toString()).not.toContain('entra.deletedUsers');
    expect(renderSummaryMd(absent, { rulePackSha256: 'x', diff: null })).not.toContain('entra.deletedUsers');
  });

  it('the load refuses a present optional section whose data contradicts its provenance, at its pointer', () => {
    const s = JSON.parse(JSON.stringify(demoSnapshot())) as Snapshot;
    (s.entra.deletedUsers as { data: unknown }).data = null;
    expect(() => validateSnapshot('snapshot.json', s)).toThrow('snapshot.json: /entra/deletedUsers/data: must not be null unless provenance is missing');
    const t = JSON.parse(JSON.stringify(demoSnapshot())) as Snapshot;
    t.entra.eligibilityRequests = { ...failure, data: [] } as unknown as Snapshot['entra']['eligibilityRequests'];
    expect(() => validateSnapshot('snapshot.json', t)).toThrow('/entra/eligibilityRequests/data: must be null when provenance is missing');
  });
});
