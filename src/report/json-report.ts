// report.json: the contract users' scripts read (DESIGN §5). Keep its shape stable.
// Layout: indented, except that each access path and each finding is one compact line, so a large
// organisation's report is a third smaller, can be read line by line, and diffs one line per path.
import type { AccessPath, AccessPathDetail } from '../analyze/types.js';
import { SEVERITIES, type Severity } from '../rules/rule-schema.js';
import { jsonChunks, LazyArray, oneLineEach } from '../util/json-chunks.js';
import { TOOL } from '../util/version.js';
import type { AuditResult } from './audit-result.js';

export function buildJsonReport(result: AuditResult) {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else bySeverity[finding.severity]++;
  }
  const paths = result.analysis.accessPaths;
  // Each path's report fields are picked only as it is written.
  const accessPaths = new LazyArray(
    paths.length,
    function* () {
      for (const p of paths) yield reportedPath(p);
    },
    { oneLineEach: true },
  );
  return {
    tool: { name: TOOL.name, version: TOOL.version },
    snapshot: {
      file: result.snapshot.displayPath,
      sha256: result.snapshot.sha256,
      collectedAt: result.analysis.now,
    },
    summary: {
      bySeverity,
      waived,
      incomplete: result.analysis.incomplete,
      gate: {
        failOn: result.gate.failOn,
        passed: result.gate.passed,
        failing: result.gate.failing,
        blockingIncomplete: result.gate.blockingIncomplete,
        allowIncomplete: result.gate.allowIncomplete,
      },
      accessPaths: accessPaths.length,
      rules: result.rules.length,
      warnings: result.analysis.warnings,
    },
    accessPaths,
    findings: oneLineEach(result.findings.map((f) => f.finding)),
  };
}

/** The fields of an access path that report.json carries (the analysis holds more, for rules). */
export function reportedPath(p: AccessPathDetail): AccessPath {
  return {
    id: p.id,
    kind: p.kind,
    standing: p.standing,
    principal: p.principal,
    group: p.group,
    account: p.account,
    permissionSet: p.permissionSet,
    window: p.window,
  };
}

export type JsonReport = ReturnType<typeof buildJsonReport>;

/** Pretty-printed, chunk by chunk: a large organisation's report is longer than one JavaScript string can be. */
export function renderJsonReport(result: AuditResult, report: JsonReport = buildJsonReport(result)): () => Iterable<string> {
  return () => jsonChunks(report);
}
