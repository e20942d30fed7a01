// GitHub Actions: a Markdown step summary (appended to $GITHUB_STEP_SUMMARY, shown on the run's page)
// and workflow commands that annotate the run with the top open findings. Tenant strings are hostile:
// in the summary they are Markdown-inert (a group name makes no link, HTML, code or table column); in
// a workflow command they are printable (no control or bidi character) and escaped as GitHub's
// runner expects, so that a name cannot end the command or start another.
import { md } from '../evidence/summary-md.js';
import { CLOUD_NAMES } from '../model/snapshot-schema.js';
import { severityRank, type LocatedFinding } from '../rules/evaluate.js';
import { impactWords } from '../rules/impact.js';
import { SEVERITIES, type Severity } from '../rules/rule-schema.js';
import { isoToWords } from '../util/duration.js';
import { printable } from '../util/printable.js';
import type { AuditResult } from './audit-result.js';

/** At most this many findings in the summary's table, and this many annotations. */
export const GITHUB_TOP = 10;

/** Annotation level by severity: the rest (low, info) are left to the reports. */
const LEVEL: Partial<Record<Severity, 'error' | 'warning'>> = { critical: 'error', high: 'error', medium: 'warning' };

/** A workflow command's message: `%`, CR and LF escaped (the runner decodes them back). */
export function escapeData(text: string): string {
  return printable(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as a message, and `:` and `,` too (they end a property). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One `::error` (critical, high) or `::warning` (medium) per finding, in the order given (the
 * terminal table's: at or above --fail-on first, then by impact), at most GITHUB_TOP.
 */
export function annotations(ordered: readonly LocatedFinding[]): string[] {
  const lines: string[] = [];
  for (const { finding: f } of ordered) {
    if (lines.length === GITHUB_TOP) break;
    const level = f.status === 'open' ? LEVEL[f.severity] : undefined;
    if (!level) continue;
    const impact = f.impact ? ` Impact: ${impactWords(f.impact, isoToWords)}.` : '';
    lines.push(`::${level} title=${escapeProperty(`jitaudit ${f.severity}: ${f.ruleId}`)}::${escapeData(`${f.message}${impact}`)}`);
  }
  return lines;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why the gate failed, in words (the terminal summary's reasons, without its pointers to the table). */
function gateReasons(result: AuditResult): string[] {
  const g = result.gate;
  const acceptable = g.blockingIncomplete.filter((section) => !g.unreadClouds.some((cloud) => section.startsWith(`${cloud}.`)));
  return [
    g.failing ? `${plural(g.failing, 'open finding')} at or above ${g.failOn}` : '',
    g.unreadClouds.length ? `nothing of ${g.unreadClouds.map((c) => CLOUD_NAMES[c]).join(' or ')} was collected (no flag accepts that)` : '',
    acceptable.length && !g.allowIncomplete ? `missing data a rule needs: ${acceptable.map(md).join(', ')} (\`--allow-incomplete\` to accept)` : '',
  ].filter(Boolean);
}

/**
 * The step summary: the gate, findings by severity, the incomplete sections and the top open findings
 * (`ordered`: open findings in the terminal table's order) with their impact.
 */
export function stepSummary(result: AuditResult, ordered: readonly LocatedFinding[], exitCode: number): string {
  const g = result.gate;
  const open = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const waived = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const { finding } of result.findings) (finding.status === 'waived' ? waived : open)[finding.severity]++;
  const openCount = SEVERITIES.reduce((n, s) => n + open[s], 0);
  const top = ordered.filter((f) => f.finding.status === 'open').slice(0, GITHUB_TOP);
  const threshold = g.failOn === 'none' ? Infinity : severityRank(g.failOn);
  const incomplete = result.analysis.incomplete;
  const lines = [
    `## jitaudit audit: gate ${g.passed ? 'passed' : 'FAILED'}`,
    '',
    g.passed
      ? `**Gate passed** (\`--fail-on ${g.failOn}\`, exit ${exitCode}): nothing open at or above ${g.failOn}${g.failOn === 'none' ? ' (the gate checks missing data only)' : ''}, and no missing data holds it.`
      : `**Gate failed** (\`--fail-on ${g.failOn}\`, exit ${exitCode}): ${gateReasons(result).join('; ')}.`,
    '',
    `Snapshot ${md(result.snapshot.displayPath)}, collected ${md(result.analysis.now)}; ${plural(result.rules.length, 'rule')}; ${plural(result.analysis.accessPaths.length, 'access path')}.`,
    '',
    '| severity | open | waived |',
    '| --- | ---: | ---: |',
    ...SEVERITIES.map((s) => `| ${severityRank(s) >= threshold ? `**${s}**` : s} | ${open[s]} | ${waived[s]} |`),
    '',
    `**Incomplete sections:** ${incomplete.length ? incomplete.map(md).join(', ') : 'none'}`,
    '',
  ];
  if (top.length) {
    lines.push(
      `### Top ${top.length === openCount ? '' : `${top.length} of `}${plural(openCount, 'open finding')}`,
      '',
      `${g.failOn === 'none' ? 'Most severe first' : `At or above ${g.failOn} first`}, then by impact; the reports list them all.`,
      '',
      '| severity | rule | object | people | accounts |',
      '| --- | --- | --- | ---: | ---: |',
      ...top.map(({ finding: f }) => `| ${f.severity} | ${md(f.ruleId)} | ${md(f.object.name)} | ${f.impact ? f.impact.people : '–'} | ${f.impact ? f.impact.accounts : '–'} |`),
      '',
    );
  } else {
    lines.push('No open findings.', '');
  }
  return `${lines.join('\n')}\n`;
}
