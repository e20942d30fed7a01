// The few lines `audit` prints: what was audited, what was found, whether the gate passed.
import type { AuditResult } from '../report/audit-result.js';
import { SEVERITIES } from '../rules/rule-schema.js';

export function printSummary(result: AuditResult, written: string[]): void {
  const paths = result.analysis.accessPaths;
  const standing = paths.filter((p) => p.standing).length;
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else counts[finding.severity]!++;
  }
  const g = result.gate;
  const why = [
    g.failing ? `${g.failing} open finding${g.failing === 1 ? '' : 's'} at or above ${g.failOn}` : '',
    g.blockingIncomplete.length && !g.allowIncomplete ? `missing data a rule needs: ${g.blockingIncomplete.join(', ')} (--allow-incomplete to accept)` : '',
  ].filter(Boolean);
  const lines = [
    `jitaudit: snapshot ${result.snapshot.displayPath} (collected ${result.analysis.now}), ${result.rules.length} rules`,
    `  access paths: ${paths.length} (${paths.length - standing} JIT, ${standing} standing)`,
    `  findings: ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')}${waived ? `; ${waived} waived` : ''}`,
    `  incomplete: ${result.analysis.incomplete.length ? result.analysis.incomplete.join(', ') : 'nothing'}`,
    `  gate (--fail-on ${g.failOn}): ${g.passed ? 'passed' : `FAILED: ${why.join('; ')}`}`,
    `  wrote ${written.join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
