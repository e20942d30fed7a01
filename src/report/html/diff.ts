// "Changes since the previous pack": access paths and findings added, removed and changed (a
// finding is about an object; its impact counts are shown, and a changed count is a change).
import type { Change, FindingView, PackDiff, PathView } from '../../evidence/diff.js';
import { isoToWords } from '../../util/duration.js';
import { html, type Html } from './escape.js';
import { plural, section, severityBadge, when } from './common.js';
import type { Severity } from '../../rules/rule-schema.js';

const win = (w: string | null) => (w === null ? 'standing' : w === 'unbounded' || w === 'unknown' ? w : isoToWords(w));
const pathLine = (p: PathView) =>
  html`<span class="tl-who">${p.person}</span> → ${p.accountName} <span class="mono muted small">${p.account}</span> / ${p.permissionSet} <span class="muted small">${p.kind}${p.group ? ` of ${p.group}` : ''} · ${p.standing ? 'standing' : `JIT, ${win(p.window)}`}</span>`;

function fieldChange(c: Change<object>, f: string): Html {
  const show = (v: unknown) => (f === 'window' ? win(v as string | null) : typeof v === 'string' ? v : JSON.stringify(v));
  return html`<li><span class="mono">${f}</span>: <del>${show((c.before as Record<string, unknown>)[f])}</del> → <ins>${show((c.after as Record<string, unknown>)[f])}</ins></li>`;
}

const findingLine = (x: FindingView) =>
  html`${severityBadge(x.severity as Severity)} <span class="mono">${x.ruleId}</span> ${x.object}${x.people === null ? '' : html` <span class="muted small">${plural(x.people, 'person', 'people')}, ${plural(x.accounts ?? 0, 'account')}</span>`} <span class="muted small">${x.message}</span>`;

export function renderDiff(diff: PackDiff): Html {
  const p = diff.accessPaths;
  const f = diff.findings;
  const list = <T,>(items: T[], render: (t: T) => Html, cls: string) =>
    items.length ? html`<ul class="diff ${cls}">${items.map((i) => html`<li>${render(i)}</li>`)}</ul>` : html`<p class="muted">none</p>`;
  const skipped = diff.findingsNotCompared;
  const body = html`
<h3>Access paths: ${p.added.length} added, ${p.removed.length} removed, ${p.changed.length} changed</h3>
<h4>Added</h4>${list(p.added, pathLine, 'diff-added')}
<h4>Removed</h4>${list(p.removed, pathLine, 'diff-removed')}
<h4>Changed</h4>${list(p.changed, (c) => html`${pathLine(c.after)}<ul>${c.fields.map((x) => fieldChange(c, x))}</ul>`, 'diff-changed')}
<h3>Findings: ${f.added.length} new, ${f.removed.length} resolved, ${f.changed.length} changed</h3>
${skipped ? html`<p class="muted">The previous report.json is version ${diff.previous.reportSchemaVersion}: ${skipped.reason} Not compared: ${skipped.rules.map((r, i) => html`${i ? ', ' : ''}<span class="mono">${r}</span>`)}.</p>` : ''}
<h4>New</h4>${list(f.added, findingLine, 'diff-added')}
<h4>Resolved</h4>${list(f.removed, findingLine, 'diff-removed')}
<h4>Changed</h4>${list(f.changed, (c) => html`${severityBadge(c.after.severity as Severity)} <span class="mono">${c.after.ruleId}</span> ${c.after.object}<ul>${c.fields.filter((x) => x !== 'message').map((x) => fieldChange(c, x))}${c.fields.includes('message') ? html`<li>message: ${c.after.message}</li>` : ''}</ul>`, 'diff-changed')}`;
  return section('changes', 'Changes since the previous pack', body, `Previous snapshot ${when(diff.previous.collectedAt)} → this snapshot ${when(diff.current.collectedAt)}.`);
}
