// Findings: every finding with its evidence and remediation. Without JavaScript they are all listed
// (each a <details>); with it, a filter bar narrows them by severity, rule, account, status and text.
import type { LocatedFinding } from '../../rules/evaluate.js';
import { SEVERITIES } from '../../rules/rule-schema.js';
import type { AuditResult } from '../audit-result.js';
import { cutNote, type HtmlLimits } from './limits.js';
import { html, type Html } from './escape.js';
import { plural, section, severityBadge } from './common.js';

/** Only http(s) links leave the page, and only when clicked: a rule file could say `javascript:`. */
const safeUrl = (url: string | undefined): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

function renderFinding(f: LocatedFinding, index: number): Html {
  const { finding, rule } = f;
  const account = finding.account;
  const refs = rule.def.references.map((r) => {
    const url = safeUrl(r.url);
    return url ? html`<li><a href="${url}" rel="noreferrer noopener">${r.framework} ${r.id}</a></li>` : html`<li>${r.framework} ${r.id}</li>`;
  });
  return html`<li class="finding sevline-${finding.severity}" id="f-${index + 1}" data-severity="${finding.severity}" data-rule="${finding.ruleId}" data-account="${account?.id ?? ''}" data-status="${finding.status}">
<details><summary>${severityBadge(finding.severity)}${finding.status === 'waived' ? html` <span class="badge badge-waived">waived</span>` : ''} <span class="f-title">${rule.def.title}</span> <span class="f-res">${finding.resource.name}</span>${account ? html` <span class="f-acct">${account.name} <span class="mono">${account.id}</span></span>` : ''}</summary>
<div class="f-body">
<p class="f-msg">${finding.message}</p>
${finding.waiver ? html`<p class="waiver"><strong>Waived</strong> until ${finding.waiver.expires} by ${finding.waiver.owner}: ${finding.waiver.reason}. It does not count for the gate.</p>` : ''}
<h4>Evidence</h4>
<pre class="evidence">${JSON.stringify(finding.evidence, null, 2)}</pre>
<h4>Remediation</h4>
<p class="remediation">${rule.def.remediation}</p>
<h4>References</h4><ul class="refs">${refs}</ul>
<p class="muted small">Rule <span class="mono">${finding.ruleId}</span> (${rule.file}) · resource <span class="mono">${finding.resource.type}/${finding.resource.id}</span> · fingerprint <span class="mono">${finding.fingerprint}</span></p>
</div></details></li>`;
}

export function renderFindings(result: AuditResult, limits: HtmlLimits): Html {
  const findings = result.findings;
  const listed = findings.slice(0, limits.findings); // already most severe first
  const rules = [...new Map(findings.map((f) => [f.finding.ruleId, f.rule.def.title])).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const accounts = [
    ...new Map(findings.filter((f) => f.finding.account).map((f) => [f.finding.account!.id, f.finding.account!.name])).entries(),
  ].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const open = findings.filter((f) => f.finding.status === 'open').length;
  const filters = html`<form class="filters" id="filters" hidden role="search" aria-label="Filter findings">
  <label>Severity <select name="severity" id="flt-severity"><option value="">all</option>${SEVERITIES.map((s) => html`<option value="${s}">${s}</option>`)}</select></label>
  <label>Rule <select name="rule" id="flt-rule"><option value="">all</option>${rules.map(([id, title]) => html`<option value="${id}">${id} — ${title}</option>`)}</select></label>
  <label>Account <select name="account" id="flt-account"><option value="">all</option>${accounts.map(([id, name]) => html`<option value="${id}">${name} (${id})</option>`)}<option value="-">no account</option></select></label>
  <label>Status <select name="status" id="flt-status"><option value="">all</option><option value="open">open</option><option value="waived">waived</option></select></label>
  <label class="grow">Search <input type="search" name="q" id="flt-q" placeholder="person, group, account, text…" autocomplete="off"></label>
  <button type="reset" id="flt-reset">Clear</button>
  <p class="count" id="flt-count" aria-live="polite"></p>
</form>
<noscript><p class="muted">JavaScript is off: ${listed.length === findings.length ? `all ${findings.length} findings are` : `${listed.length} of ${findings.length} findings are`} listed below; turn it on to filter and search.</p></noscript>`;
  const list = findings.length
    ? html`${cutNote(listed.length, findings.length, 'findings', 'the most severe first')}<ol class="findings" id="finding-list">${listed.map(renderFinding)}</ol><p class="empty" id="flt-empty" hidden>No finding matches the filter.</p>`
    : html`<p class="ok">✔ No findings.</p>`;
  return section(
    'findings',
    `Findings (${findings.length})`,
    html`${filters}${list}`,
    `${plural(open, 'open finding')}, ${findings.length - open} waived. Open a finding for its evidence and remediation.`,
  );
}
