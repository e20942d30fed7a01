// summary.md: the pack in a few pages for an auditor — scope, coverage, every rule's outcome, the
// findings by rule (each about one object, with its impact), changes since the previous pack. Tenant strings are escaped for Markdown: a group name must not become a link,
// an image that loads from elsewhere, or a table column.
import { presentSections } from '../model/snapshot-schema.js';
import type { AuditResult } from '../report/audit-result.js';
import { ruleOutcomes, type ControlStatus, type RuleOutcome } from '../report/controls.js';
import type { LocatedFinding } from '../rules/evaluate.js';
import { impactWords } from '../rules/impact.js';
import { SEVERITIES } from '../rules/rule-schema.js';
import { compareStrings as cmp } from '../util/compare.js';
import { isoToWords } from '../util/duration.js';
import { printable, printableLines } from '../util/printable.js';
import { TOOL } from '../util/version.js';
import type { Change, FindingView, PackDiff, PathView } from './diff.js';

/**
 * Markdown-inert text: the characters that make links, images, HTML, emphasis, code or table cells
 * are escaped (and line breaks flattened); ordinary punctuation stays readable in the raw file.
 * Control characters (ESC sequences drive a terminal that shows the file) and bidirectional
 * controls (they reorder a line as shown) are written visibly as \uXXXX.
 */
export function md(text: string | null | undefined): string {
  return printable((text ?? '—').replace(/[\\`*_[\]<>|#!~&$]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, ' '));
}

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
const win = (w: string | null) => (w === null ? 'standing' : w);
const pathLine = (p: PathView) =>
  `${md(p.person)} → ${md(p.accountName)} (${p.account}) / ${md(p.permissionSet)} — ${md(p.kind)}${p.group ? ` of ${md(p.group)}` : ''}, ${p.standing ? 'standing' : `JIT, window ${md(win(p.window))}`}`;
const counts = (f: FindingView) => (f.people === null ? '' : ` (${f.people} ${f.people === 1 ? 'person' : 'people'}, ${f.accounts} account${f.accounts === 1 ? '' : 's'})`);
const findingLine = (f: FindingView) => `${f.severity} \`${f.ruleId}\` — ${md(f.object)}${counts(f)}`;
/** A changed finding's fields: counts and states with their values, the message by name (it is long). */
const findingChange = (c: Change<FindingView>) =>
  c.fields.map((k) => (k === 'message' ? 'message' : `${k}: ${md(String(c.before[k as keyof FindingView]))} → ${md(String(c.after[k as keyof FindingView]))}`)).join('; ');

/** Rows shown per rule: the findings come most impact first, report.json and report.html have them all. */
const FINDINGS_PER_RULE = 10;

const STATUS_ORDER: ControlStatus[] = ['failed', 'not-evaluable', 'passed'];
const statusText = (o: RuleOutcome) =>
  o.status === 'failed' ? '**failed**' : o.status === 'not-evaluable' ? `not evaluable (missing ${o.missing.map((x) => `\`${x}\``).join(', ')})` : 'passed';

/** Every rule the audit ran: failed first, then not evaluable, then passed; by severity and id within. */
function controlsTable(result: AuditResult): string[] {
  const outcomes = ruleOutcomes(result).sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      SEVERITIES.indexOf(a.rule.def.severity) - SEVERITIES.indexOf(b.rule.def.severity) ||
      cmp(a.rule.def.id, b.rule.def.id),
  );
  const n = (s: ControlStatus) => outcomes.filter((o) => o.status === s).length;
  return [
    '## Controls',
    '',
    `Every rule the audit ran: ${n('failed')} failed (an open finding), ${n('not-evaluable')} not evaluable (no finding, but data the rule reads is missing), ${n('passed')} passed.`,
    '',
    '| Rule | Severity | Status | Open | Waived | Title |',
    '|---|---|---|---:|---:|---|',
    ...outcomes.map((o) => `| \`${o.rule.def.id}\` | ${o.rule.def.severity} | ${statusText(o)} | ${o.open} | ${o.waived} | ${md(o.rule.def.title)} |`),
    '',
  ];
}

/** The findings by rule, each about one object and with its impact; rules in the order of their first finding. */
function findingsByRule(findings: LocatedFinding[]): string[] {
  const byRule = new Map<string, LocatedFinding[]>();
  for (const f of findings) {
    const list = byRule.get(f.finding.ruleId);
    if (list) list.push(f);
    else byRule.set(f.finding.ruleId, [f]);
  }
  const out: string[] = ['## Findings by rule', ''];
  if (!byRule.size) out.push('No finding.', '');
  for (const [id, list] of byRule) {
    const { rule } = list[0]!;
    const waived = list.filter((f) => f.finding.status === 'waived').length;
    out.push(
      `### \`${id}\` (${rule.def.severity}): ${md(rule.def.title)} — ${list.length - waived} open${waived ? `, ${waived} waived` : ''}`,
      '',
      '| Object | Type | Impact | Status |',
      '|---|---|---|---|',
      ...list.slice(0, FINDINGS_PER_RULE).map(({ finding: f }) => {
        const status = f.waiver ? `waived by ${md(f.waiver.owner)} until ${md(f.waiver.expires)}` : f.status;
        return `| ${md(f.object.name)} | ${md(f.object.type)} | ${f.impact ? md(impactWords(f.impact, isoToWords)) : '—'} | ${status} |`;
      }),
      ...(list.length > FINDINGS_PER_RULE ? ['', `… and ${list.length - FINDINGS_PER_RULE} more, in \`report.json\` and \`report.html\`.`] : []),
      '',
    );
  }
  return out;
}

export function renderSummaryMd(result: AuditResult, files: { rulePackSha256: string; diff: PackDiff | null }): string {
  const s = result.snapshot.model;
  const a = result.analysis;
  const tenant = s.entra.tenant.data;
  const org = s.aws.organization.data;
  const paths = a.accessPaths;
  const standing = paths.filter((p) => p.standing).length;
  const accounts = new Map(paths.map((p) => [p.account.id, p.account]));
  const prodAccounts = [...accounts.values()].filter((x) => x.environment === 'prod').length;
  const people = new Set(paths.map((p) => p.principal.upn ?? p.principal.identityCenterUserId)).size;
  const open: Record<string, number> = Object.fromEntries(SEVERITIES.map((x) => [x, 0]));
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else open[finding.severity]!++;
  }
  const g = result.gate;
  const out: string[] = [];
  out.push(
    `# Access review evidence — ${md(tenant?.displayName ?? 'tenant not collected')} — ${a.now.slice(0, 10)}`,
    '',
    `Just-in-time privileged access to AWS through Entra ID PIM for Groups → SCIM → IAM Identity Center, as of the snapshot (every judgement is made at the snapshot's collection time, not at the time of reading).`,
    '',
    '| | |',
    '|---|---|',
    `| Snapshot collected | ${when(a.now)} (collection ${when(s.meta.collection.startedAt)} → ${when(s.meta.collection.endedAt)}, by ${md(s.meta.tool.name)} ${md(s.meta.tool.version)}) |`,
    `| Entra tenant | ${tenant ? `${md(tenant.displayName)} (${md(tenant.id)})` : '**not collected**'} |`,
    `| AWS organisation | ${org ? `${md(org.id)}, management account ${org.managementAccountId}, ${org.accounts.length} accounts` : '**not collected**'} |`,
    `| Audited with | ${TOOL.name} ${TOOL.version}; ${result.rules.length} rules (rule pack sha256 \`${files.rulePackSha256}\`); config ${result.config.file ? md(result.config.file) : 'defaults'} (sha256 \`${result.config.digest}\`) |`,
    `| Gate | ${g.passed ? 'passed' : '**failed**'} at \`--fail-on ${g.failOn}\`${g.failing ? `: ${g.failing} open findings at or above ${g.failOn}` : ''}${g.blockingIncomplete.length && !g.allowIncomplete ? `; missing data a rule needs: ${g.blockingIncomplete.join(', ')}` : ''} |`,
    '',
    '## Scope',
    '',
    `- ${paths.length} access paths (${paths.length - standing} just-in-time, ${standing} standing) of ${people} people into ${accounts.size} accounts (${prodAccounts} production).`,
    `- ${new Set(paths.filter((p) => p.group).map((p) => p.group!.id)).size} groups and ${new Set(paths.map((p) => p.permissionSet.arn)).size} permission sets grant them.`,
    `- One row per path in \`access-review.csv\`; the full findings with evidence in \`report.json\` and \`report.html\`.`,
    '',
    '## Coverage',
    '',
  );
  if (a.incomplete.length) {
    out.push(`> **Incomplete.** ${a.incomplete.length} part(s) of the snapshot could not be collected: ${a.incomplete.map((x) => `\`${x}\``).join(', ')}. Findings that depend on them may be missing.`, '');
  } else out.push('Every section was collected or declared.', '');
  out.push('| Section | Provenance | Detail |', '|---|---|---|');
  for (const { path, section } of presentSections(s)) {
    const p = section.provenance;
    const detail =
      p.status === 'collected' ? `${md(p.source)} at ${when(p.collectedAt)}` : p.status === 'declared' ? md(p.source) : `**${md(p.error.code)}**: ${md(p.error.message)}${p.fix ? ` — fix: ${md(p.fix)}` : ''}`;
    out.push(`| \`${path}\` | ${p.status === 'missing' ? '**MISSING**' : p.status} | ${detail} |`);
  }
  out.push(
    '',
    '## Findings',
    '',
    `| ${SEVERITIES.join(' | ')} | waived |`,
    `|${SEVERITIES.map(() => '---:').join('|')}|---:|`,
    `| ${SEVERITIES.map((x) => open[x]).join(' | ')} | ${waived} |`,
    '',
    'Each finding is about one object, the thing to change (a grant, a group, a PIM policy, a person…); its impact is the access paths it affects.',
    '',
    ...controlsTable(result),
    ...findingsByRule(result.findings),
    '## Changes since the previous pack',
    '',
  );
  const d = files.diff;
  if (!d) out.push('No previous pack was given (`jitaudit evidence --previous DIR`).');
  else {
    const p = d.accessPaths;
    const f = d.findings;
    out.push(
      `Previous snapshot ${when(d.previous.collectedAt)} (sha256 \`${d.previous.snapshotSha256}\`). Details in \`diff.json\`.`,
      '',
      `**Access paths:** ${p.added.length} added, ${p.removed.length} removed, ${p.changed.length} changed.`,
      '',
      ...p.added.map((x) => `- added: ${pathLine(x)}`),
      ...p.removed.map((x) => `- removed: ${pathLine(x)}`),
      ...p.changed.map((c) => `- changed: ${pathLine(c.after)} — ${c.fields.map((k) => `${k}: ${md(String((c.before as unknown as Record<string, unknown>)[k]))} → ${md(String((c.after as unknown as Record<string, unknown>)[k]))}`).join('; ')}`),
      '',
      `**Findings:** ${f.added.length} new, ${f.removed.length} resolved, ${f.changed.length} changed.`,
      '',
    );
    if (d.findingsNotCompared) {
      out.push(
        `> **Report v${d.previous.reportSchemaVersion} → v${d.current.reportSchemaVersion}:** ${md(d.findingsNotCompared.reason)} Not compared: ${d.findingsNotCompared.rules.map((r) => `\`${r}\``).join(', ')}.`,
        '',
      );
    }
    out.push(
      ...f.added.map((x) => `- new: ${findingLine(x)}`),
      ...f.removed.map((x) => `- resolved: ${findingLine(x)}`),
      ...f.changed.map((c) => `- changed: ${findingLine(c.after)} — ${findingChange(c)}`),
    );
  }
  out.push(
    '',
    '## Integrity',
    '',
    'Every file of this pack is listed with its SHA-256 in `manifest.json` (and in `SHA256SUMS`). Check them with `jitaudit evidence verify <this folder>`, or without the tool: `sha256sum -c SHA256SUMS`.',
    '',
  );
  // Whatever reached the text without md() (an id, a previous pack's value): no control byte either.
  return printableLines(out.join('\n'));
}
