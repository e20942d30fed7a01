// The controls view, for an auditor: every enabled rule with its outcome — failed, passed, or not
// evaluable because data it reads is missing — its counts, severity and framework references, and a
// roll-up per framework of the controls the rules map to. What passed matters as much as what failed.
import { severityRank } from '../../rules/evaluate.js';
import type { AuditResult } from '../audit-result.js';
import { frameworkRollup, ruleOutcomes, type ControlStatus, type RuleOutcome } from '../controls.js';
import { html, type Html } from './escape.js';
import { plural, section, severityBadge } from './common.js';
import { referenceList, ruleAnchor } from './findings.js';

const STATUS_WORDS: Record<ControlStatus, string> = { failed: 'failed', 'not-evaluable': 'not evaluable', passed: 'passed' };
const STATUS_ORDER: ControlStatus[] = ['failed', 'not-evaluable', 'passed'];

const statusBadge = (s: ControlStatus) => html`<span class="st st-${s}">${s === 'failed' ? '✘ ' : s === 'passed' ? '✔ ' : '⚠ '}${STATUS_WORDS[s]}</span>`;

function ruleRow(o: RuleOutcome): Html {
  const { def } = o.rule;
  // A rule with findings, open or waived, has a section under Findings.
  const title = o.open + o.waived ? html`<a href="#${ruleAnchor(def.id)}">${def.id}</a>` : html`<span class="mono">${def.id}</span>`;
  const missing = o.missing.length
    ? html`<br><span class="small">${o.status === 'failed' ? 'incomplete, ' : ''}data missing: <span class="mono">${o.missing.join(', ')}</span></span>`
    : '';
  return html`<tr class="ctl ctl-${o.status}" data-status="${o.status}"><th scope="row"><span class="mono">${title}</span><br><span class="small">${def.title}</span></th><td>${statusBadge(o.status)}${missing}</td><td>${severityBadge(def.severity)}</td><td class="num">${o.open}</td><td class="num">${o.waived}</td><td>${referenceList(o.rule)}</td></tr>`;
}

export function renderControls(result: AuditResult): Html {
  const outcomes = ruleOutcomes(result);
  const count = (s: ControlStatus) => outcomes.filter((o) => o.status === s).length;
  // Failed first, then what could not be judged, then what passed; the most severe first within each.
  const rows = [...outcomes]
    .sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
        severityRank(b.rule.def.severity) - severityRank(a.rule.def.severity) ||
        (a.rule.def.id < b.rule.def.id ? -1 : a.rule.def.id > b.rule.def.id ? 1 : 0),
    )
    .map(ruleRow);
  const frameworks = frameworkRollup(outcomes);
  const rollupRows = frameworks.map(
    (f) =>
      html`<tr><th scope="row">${f.framework}</th><td class="num">${f.controls.length}</td><td class="num${f.failed ? ' bad' : ''}">${f.failed}</td><td class="num${f.notEvaluable ? ' warn' : ''}">${f.notEvaluable}</td><td class="num${f.passed ? ' good' : ''}">${f.passed}</td></tr>`,
  );
  const perFramework = frameworks.map(
    (f) =>
      html`<details class="fw"><summary><strong>${f.framework}</strong>: ${plural(f.controls.length, 'control')} — ${f.failed} failed, ${f.notEvaluable} not evaluable, ${f.passed} passed</summary><div class="scroll"><table class="fw-controls"><caption class="sr-only">${f.framework} controls and the rules behind them</caption><thead><tr><th scope="col">Control</th><th scope="col">Status</th><th scope="col">Rules</th></tr></thead><tbody>${f.controls.map(
        (c) => html`<tr class="ctl ctl-${c.status}"><th scope="row" class="mono">${c.id}</th><td>${statusBadge(c.status)}</td><td class="mono small">${c.rules.join(', ')}</td></tr>`,
      )}</tbody></table></div></details>`,
  );
  const body = html`<h3>Rules</h3>
<div class="scroll"><table class="controls" id="controls-rules"><caption class="sr-only">Every enabled rule and its outcome</caption><thead><tr><th scope="col">Rule</th><th scope="col">Status</th><th scope="col">Severity</th><th scope="col" class="num">Open</th><th scope="col" class="num">Waived</th><th scope="col">Framework references</th></tr></thead><tbody>${rows}</tbody></table></div>
<h3>Frameworks</h3>
<div class="scroll"><table class="rollup" id="controls-rollup"><caption class="sr-only">Controls per framework by outcome</caption><thead><tr><th scope="col">Framework</th><th scope="col" class="num">Controls</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Not evaluable</th><th scope="col" class="num">Passed</th></tr></thead><tbody>${rollupRows}</tbody></table></div>
<p class="muted small">A control fails when any rule mapped to it failed; it is not evaluable when none failed but one could not be judged; else it passed.</p>
${perFramework}`;
  return section(
    'controls',
    'Controls',
    body,
    `${plural(outcomes.length, 'enabled rule')}: ${count('failed')} failed (an open finding), ${count('not-evaluable')} not evaluable (no finding, but data the rule reads is missing), ${count('passed')} passed. Waived findings do not fail a rule.`,
  );
}
