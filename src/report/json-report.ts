// report.json: the contract users' scripts read (DESIGN §5). Keep its shape stable.
import type { AccessPath } from '../analyze/types.js';
import { SEVERITIES, type Severity } from '../rules/rule-schema.js';
import { jsonChunks } from '../util/json-chunks.js';
import { TOOL } from '../util/version.js';
import type { AuditResult } from './audit-result.js';

export function buildJsonReport(result: AuditResult) {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else bySeverity[finding.severity]++;
  }
  const accessPaths: AccessPath[] = result.analysis.accessPaths.map((p) => ({
    id: p.id,
    kind: p.kind,
    standing: p.standing,
    principal: p.principal,
    group: p.group,
    account: p.account,
    permissionSet: p.permissionSet,
    window: p.window,
  }));
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
    findings: result.findings.map((f) => f.finding),
  };
}

export type JsonReport = ReturnType<typeof buildJsonReport>;

/** Pretty-printed, chunk by chunk: a large organisation's report is longer than one JavaScript string can be. */
export function renderJsonReport(result: AuditResult, report: JsonReport = buildJsonReport(result)): () => Iterable<string> {
  return () => jsonChunks(report);
}
