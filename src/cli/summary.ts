// The few lines `audit` prints: what was audited, what was found, whether the gate passed, and the
// top open findings as a short table (the reports list them all). Colour, sparingly: the gate's verdict
// and the severities, through Node's util.styleText, which leaves text plain unless the stream it is
// written to is a terminal that shows colour (and honours NO_COLOR, NODE_DISABLE_COLORS, FORCE_COLOR).
import { styleText } from 'node:util';
import { countWhere } from '../analyze/path-parts.js';
import { CLOUD_NAMES } from '../model/snapshot-schema.js';
import type { AuditResult } from '../report/audit-result.js';
import { severityRank, type LocatedFinding } from '../rules/evaluate.js';
import { SEVERITIES, type Severity } from '../rules/rule-schema.js';
import { printable } from '../util/printable.js';

/** At most this many findings in the table. */
export const TOP_FINDINGS = 10;
/** Cell widths, in characters: rule ids are short; object names are cut so that a row fits about 120 columns. */
const RULE_WIDTH = 34;
const OBJECT_WIDTH = 52;

/** Tenant text for one cell: control and bidi characters escaped, cut to `max` characters. */
export function terminalCell(text: string, max: number): string {
  const chars = [...printable(text)];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** A style of util.inspect.colors ('red', 'bold'…). */
type Style = Extract<Parameters<typeof styleText>[0], string>;
/** Styles text for one stream, outermost style first; `--no-color` gives one that never does. */
export type Paint = (styles: Style | Style[], text: string) => string;

const plain: Paint = (_styles, text) => text;

export function painter(stream: NodeJS.WritableStream, color: boolean): Paint {
  if (!color) return plain;
  // One style per call: Node 20's styleText checks the stream only for a single style, and would
  // colour an array of them into a pipe or a file.
  return (styles, text) => [styles].flat().reduceRight((inner, style) => styleText(style, inner, { stream }), text);
}

/** Severities worth drawing the eye to; low and info stay plain. */
const SEVERITY_STYLE: Partial<Record<Severity, Style | Style[]>> = { critical: ['bold', 'red'], high: 'red', medium: 'yellow' };
const severityText = (paint: Paint, severity: Severity, text: string = severity) => {
  const style = SEVERITY_STYLE[severity];
  return style ? paint(style, text) : text;
};

const width = (s: string) => [...s].length;
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;

/** The open findings to show: those at or above --fail-on first, then the rest; each group in report order (most impact first). */
export function topFindings(result: AuditResult, limit = TOP_FINDINGS): LocatedFinding[] {
  const threshold = result.gate.failOn === 'none' ? Infinity : severityRank(result.gate.failOn);
  const open = result.findings.filter((f) => f.finding.status === 'open');
  const failing = open.filter((f) => severityRank(f.finding.severity) >= threshold);
  const rest = open.filter((f) => severityRank(f.finding.severity) < threshold);
  return [...failing, ...rest].slice(0, limit);
}

/** The table's lines, aligned: severity, rule, object, then the impact (people, accounts, production accounts). */
export function findingsTable(findings: LocatedFinding[], indent = '    ', paint: Paint = plain): string[] {
  const rows = findings.map(({ finding: f }) => {
    const i = f.impact;
    return [
      f.severity,
      terminalCell(f.ruleId, RULE_WIDTH),
      terminalCell(f.object.name, OBJECT_WIDTH),
      i ? String(i.people) : '-',
      i ? String(i.accounts) : '-',
      i ? String(i.prodAccounts) : '-',
    ];
  });
  const head = ['severity', 'rule', 'object', 'people', 'accounts', 'prod'];
  const widths = head.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c]!))));
  const line = (r: string[]) => indent + r.map((v, c) => (c < 3 ? padEnd(v, widths[c]!) : padStart(v, widths[c]!))).join('  ').trimEnd();
  // Coloured after alignment: the escape codes take no columns.
  const coloured = (r: string[]) => indent + severityText(paint, r[0] as Severity) + line(r).slice(indent.length + r[0]!.length);
  return [line(head), ...rows.map(coloured)];
}

/**
 * `stream`: stdout, or stderr when stdout carries a report (`--out -`). `color`: false with --no-color;
 * otherwise the stream and the environment decide.
 */
export function printSummary(result: AuditResult, written: string[], options: { stream?: NodeJS.WritableStream; color?: boolean } = {}): void {
  const stream = options.stream ?? process.stdout;
  const paint = painter(stream, options.color ?? true);
  const paths = result.analysis.accessPaths;
  const standing = countWhere(paths, result.analysis.pathParts, 'grant', (p) => p.standing);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else counts[finding.severity]!++;
  }
  const open = result.findings.length - waived;
  const top = topFindings(result);
  const g = result.gate;
  // Sections of a cloud nothing was read from fail the gate whatever --allow-incomplete says.
  const acceptable = g.blockingIncomplete.filter((section) => !g.unreadClouds.some((cloud) => section.startsWith(`${cloud}.`)));
  const listed = g.failing > top.length ? `top ${top.length} below` : 'listed below';
  const why = [
    g.failing ? `${g.failing} open finding${g.failing === 1 ? '' : 's'} at or above ${g.failOn} (${listed})` : '',
    g.unreadClouds.length ? `nothing of ${g.unreadClouds.map((c) => CLOUD_NAMES[c]).join(' or ')} was collected (no flag accepts that)` : '',
    acceptable.length && !g.allowIncomplete ? `missing data a rule needs: ${acceptable.join(', ')} (--allow-incomplete to accept)` : '',
  ].filter(Boolean);
  const lines = [
    `jitaudit: snapshot ${printable(result.snapshot.displayPath)} (collected ${result.analysis.now}), ${result.rules.length} rules`,
    `  access paths: ${paths.length} (${paths.length - standing} JIT, ${standing} standing)`,
    `  findings: ${SEVERITIES.map((s) => (counts[s] ? severityText(paint, s, `${counts[s]} ${s}`) : `0 ${s}`)).join(', ')}${waived ? `; ${waived} waived` : ''}`,
    `  incomplete: ${result.analysis.incomplete.length ? result.analysis.incomplete.join(', ') : 'nothing'}`,
    `  gate (--fail-on ${g.failOn}): ${g.passed ? paint('green', 'passed') : `${paint(['bold', 'red'], 'FAILED')}: ${why.join('; ')}`}`,
    `  wrote ${written.map(printable).join(', ')}`,
  ];
  if (top.length) {
    const order = g.failOn === 'none' ? 'most severe first' : `at or above ${g.failOn} first`;
    lines.push(`  top ${top.length === open ? '' : `${top.length} of `}${open} open finding${open === 1 ? '' : 's'} (${order}, then by impact; the reports list them all):`, ...findingsTable(top, '    ', paint));
  }
  stream.write(`${lines.join('\n')}\n`);
}
