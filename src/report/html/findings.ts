// Findings, grouped by rule: a section per rule with open or waived findings, the worst rule first
// (findings come sorted by severity and impact; a rule stands where its first finding does), then one
// entry per finding — one object to change — with its impact, message, evidence and fingerprint, and
// its affected access paths behind a <details>. Without JavaScript everything listed is readable; with
// it, a filter bar narrows the findings, and its state lives in the URL's #fragment to be shared.
import { targetAccounts, type PathParts } from '../../analyze/path-parts.js';
import type { AccessPathDetail } from '../../analyze/types.js';
import type { LocatedFinding } from '../../rules/evaluate.js';
import { impactWords, pathRanks } from '../../rules/impact.js';
import type { CompiledRule } from '../../rules/load-rules.js';
import { SEVERITIES } from '../../rules/rule-schema.js';
import { compareStrings as cmp } from '../../util/compare.js';
import { isoToWords } from '../../util/duration.js';
import type { AuditResult } from '../audit-result.js';
import { PathFactIndex } from '../path-facts.js';
import { totalWords } from '../window-words.js';
import { html, type Html } from './escape.js';
import { KIND_LABEL, day, section, severityBadge } from './common.js';
import { moreNote, type HtmlLimits } from './limits.js';

const n = (x: number) => x.toLocaleString('en-US');
/** "1 access path", "1,234 access paths". */
const count = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/** Only http(s) links leave the page, and only when clicked: a rule file could say `javascript:`. */
const safeUrl = (url: string | undefined): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

export function referenceList(rule: CompiledRule): Html {
  const refs = rule.def.references.map((r) => {
    const url = safeUrl(r.url);
    return url ? html`<li><a href="${url}" rel="noreferrer noopener">${r.framework} ${r.id}</a></li>` : html`<li>${r.framework} ${r.id}</li>`;
  });
  return html`<ul class="refs">${refs}</ul>`;
}

/** The element id of a rule's section: rule ids are lower-case words and hyphens (rule-schema.ts). */
export const ruleAnchor = (ruleId: string) => `rule-${ruleId}`;

interface RuleGroup {
  rule: CompiledRule;
  findings: LocatedFinding[];
  open: number;
}

/** Rules in the order of their first (worst) finding, each with its findings in report order. */
function groupByRule(findings: readonly LocatedFinding[]): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const f of findings) {
    let g = groups.get(f.finding.ruleId);
    if (!g) groups.set(f.finding.ruleId, (g = { rule: f.rule, findings: [], open: 0 }));
    g.findings.push(f);
    if (f.finding.status === 'open') g.open++;
  }
  return [...groups.values()];
}

/** worstPaths by list and limit: findings share lists of paths (every holder of one directory role). */
const worstOfPaths = new WeakMap<readonly number[], Map<number, AccessPathDetail[]>>();

/** The `limit` worst paths of a finding, worst window first, then in path order; one pass, no sort of them all. */
function worstPaths(positions: readonly number[], all: readonly AccessPathDetail[], limit: number, ranks: Float64Array): AccessPathDetail[] {
  let byLimit = worstOfPaths.get(positions);
  if (!byLimit) worstOfPaths.set(positions, (byLimit = new Map()));
  let worst = byLimit.get(limit);
  if (!worst) byLimit.set(limit, (worst = rankWorst(positions, all, limit, ranks)));
  return worst;
}

function rankWorst(positions: readonly number[], all: readonly AccessPathDetail[], limit: number, ranks: Float64Array): AccessPathDetail[] {
  const top: { p: AccessPathDetail; rank: number }[] = [];
  for (const i of positions) {
    const rank = ranks[i]!;
    if (top.length === limit && rank <= top[top.length - 1]!.rank) continue;
    const p = all[i]!;
    // Insert after every path ranked at least as bad: equal ranks keep path order.
    let at = top.length;
    while (at > 0 && top[at - 1]!.rank < rank) at--;
    top.splice(at, 0, { p, rank });
    if (top.length > limit) top.pop();
  }
  return top.map(({ p }) => p);
}

const windowText = (p: AccessPathDetail) => (p.standing || !p.window ? 'standing' : totalWords(p.window));

const PATH_COLUMNS = ['Person', 'Kind', 'Group', 'Account', 'Permission set', 'Window', 'Last'];
/** Columns that may be said once for a finding, above its table, when every listed path has the same value. */
const SHAREABLE = 6;

function pathCells(p: AccessPathDetail, facts: PathFactIndex): Html[] {
  const f = facts.facts(p);
  const used = f.lastUsed ? day(f.lastUsed) : f.usageKnown ? 'never' : 'unknown';
  const activated = f.lastActivation ? day(f.lastActivation) : f.activationsKnown ? 'never' : 'unknown';
  const open = p.standing || !p.window || p.window.unbounded;
  return [
    html`${p.principal.upn ?? p.principal.identityCenterUserId ?? '—'}`,
    html`${KIND_LABEL[p.kind] ?? p.kind}`,
    html`${p.group?.name ?? '—'}`,
    html`${p.account.name} <span class="aid">${p.account.id}</span> <span class="env${p.account.environment === 'prod' ? ' env-prod' : ''}">${p.account.environment}</span>`,
    html`${p.permissionSet.name}${p.permissionSet.tier === 'admin' ? html` <span class="tier">admin</span>` : ''}`,
    open ? html`<span class="bad">${windowText(p)}</span>` : html`${windowText(p)}`,
    html`${p.kind === 'pim-eligible' ? `activated ${activated}, ` : ''}used ${used}`,
  ];
}

/**
 * The listed paths of a finding as a table. What every listed path shares (the group of a group's
 * finding, the person of a grant's) is said once above it rather than in every row.
 */
function pathTable(listed: AccessPathDetail[], facts: PathFactIndex): Html {
  const rows = listed.map((l) => pathCells(l, facts));
  const shared = PATH_COLUMNS.map((_, c) => c < SHAREABLE && rows.length > 1 && rows.every((r) => r[c]!.value === rows[0]![c]!.value));
  const common = PATH_COLUMNS.flatMap((name, c) => (shared[c] ? [html`<span class="pc"><span class="muted">${name}</span> ${rows[0]![c]!}</span>`] : []));
  const keep = PATH_COLUMNS.map((_, c) => !shared[c]);
  return html`${common.length ? html`<p class="path-common">Every listed path: ${common}</p>` : ''}<table class="paths"><caption class="sr-only">Access paths of the finding</caption><thead><tr>${PATH_COLUMNS.filter((_, c) => keep[c]).map((name) => html`<th scope="col">${name}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.filter((_, c) => keep[c]).map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`;
}

interface Context {
  all: readonly AccessPathDetail[];
  facts: PathFactIndex;
  /** Each path's WindowRank (rules/impact.ts). */
  ranks: Float64Array;
  accounts: PathAccounts;
  limits: HtmlLimits;
}

/**
 * The accounts of lists of paths, read by number: a path's account is its target's (path-parts.ts),
 * and lists are shared by findings (every holder of one directory role), so each list is read once.
 */
class PathAccounts {
  private readonly accountOf: Int32Array;
  private readonly accounts: readonly { id: string; name: string }[];
  private readonly seen: Int32Array;
  private round = 0;
  private readonly byList = new WeakMap<readonly number[], readonly { id: string; name: string }[]>();

  constructor(
    all: readonly AccessPathDetail[],
    private readonly parts: PathParts,
  ) {
    ({ accountOf: this.accountOf, accounts: this.accounts } = targetAccounts(all, parts));
    this.seen = new Int32Array(this.accounts.length);
  }

  of(paths: readonly number[]): readonly { id: string; name: string }[] {
    let found = this.byList.get(paths);
    if (!found) {
      const round = ++this.round;
      const list: { id: string; name: string }[] = [];
      for (const i of paths) {
        const a = this.accountOf[this.parts.target[i]!]!;
        if (this.seen[a] === round) continue;
        this.seen[a] = round;
        list.push(this.accounts[a]!);
      }
      this.byList.set(paths, (found = list));
    }
    return found;
  }
}

/** The accounts a finding touches, for the account filter: its own, and those of all its paths. */
function accountsOf(f: LocatedFinding, ctx: Context, names: Map<string, string>): string[] {
  const ids = new Set<string>();
  for (const { id, name } of ctx.accounts.of(f.finding.impact?.paths ?? [])) {
    ids.add(id);
    if (!names.has(id)) names.set(id, name);
  }
  const own = f.finding.account;
  if (own) {
    ids.add(own.id);
    if (!names.has(own.id)) names.set(own.id, own.name);
  }
  return [...ids].sort(cmp);
}

/** A finding's anchor is its fingerprint: a link to it (#f-…) holds across audits while the object is the same. */
function renderFinding(f: LocatedFinding, pathLimit: number, accounts: string[], ctx: Context): Html {
  const { finding } = f;
  const account = finding.account;
  const impact = finding.impact;
  const paths = impact?.paths ?? [];
  const listed = paths.length && pathLimit ? worstPaths(paths, ctx.all, pathLimit, ctx.ranks) : [];
  const where = `this finding's impact.paths`;
  const pathList = !paths.length
    ? ''
    : listed.length
      ? html`${pathTable(listed, ctx.facts)}${moreNote(listed.length, paths.length, 'access paths', `${where}; the worst windows are listed first`)}`
      : html`<p class="cut" role="note">${paths.length === 1 ? 'Its access path is' : `Its ${n(paths.length)} access paths are`} in report.json (${where}): the page lists paths only for the findings with the largest impact.</p>`;
  const more = paths.length ? `${count(paths.length, 'access path')}, evidence and fingerprint` : 'Evidence and fingerprint';
  return html`<li class="finding sevline-${finding.severity}" id="f-${finding.fingerprint}" data-severity="${finding.severity}" data-rule="${finding.ruleId}" data-account="${accounts.join(' ')}" data-status="${finding.status}">
<p class="f-head">${severityBadge(finding.severity)}${finding.status === 'waived' ? html` <span class="badge badge-waived">waived</span>` : ''} <span class="f-res">${finding.object.name}</span> <span class="muted small">${finding.object.type}</span>${account ? html` <span class="f-acct">${account.name} <span class="mono">${account.id}</span></span>` : ''}${impact ? html` <span class="f-impact">${impactWords(impact, isoToWords)}</span>` : ''}</p>
<p class="f-msg">${finding.message}</p>
${finding.waiver ? html`<p class="waiver"><strong>Waived</strong> until ${finding.waiver.expires} by ${finding.waiver.owner}: ${finding.waiver.reason}. It does not count for the gate.</p>` : ''}
<details class="f-more"><summary>${more}</summary>
${pathList}
<h5>Evidence</h5>
<pre class="evidence">${JSON.stringify(finding.evidence, null, 2)}</pre>
<p class="muted small">Object <span class="mono">${finding.object.type}/${finding.object.id}</span> · fingerprint <span class="mono">${finding.fingerprint}</span></p>
</details></li>`;
}

function renderRule(group: RuleGroup, items: Html[]): Html {
  const { rule, findings } = group;
  const severity = findings[0]!.finding.severity;
  const waived = findings.length - group.open;
  const shown = items.length;
  const rest = findings.length - shown;
  const cut = rest
    ? html`<p class="cut" role="note">${shown ? `Listed: the ${n(shown)} with the largest impact; ` : ''}${n(rest)} ${shown ? 'more ' : ''}${rest === 1 ? 'finding of this rule is' : 'findings of this rule are'} in report.json (the findings with ruleId "${rule.def.id}").</p>`
    : '';
  return html`<article class="rule-group sevline-${severity}" id="${ruleAnchor(rule.def.id)}" data-rule="${rule.def.id}" data-severity="${severity}" aria-labelledby="${ruleAnchor(rule.def.id)}-h">
<h3 id="${ruleAnchor(rule.def.id)}-h">${severityBadge(severity)} ${rule.def.title} <span class="mono muted small">${rule.def.id}</span></h3>
<p class="rule-counts">${count(group.open, 'open finding')}${waived ? `, ${n(waived)} waived` : ''}.</p>
<p class="remediation"><strong>Remediation:</strong> ${rule.def.remediation}</p>
<details class="rule-about"><summary>What the rule checks, and its framework references</summary><p>${rule.def.description}</p>${referenceList(rule)}<p class="muted small">Rule file <span class="mono">${rule.file}</span></p></details>
${items.length ? html`<ol class="findings">${items}</ol>` : ''}${cut}
</article>`;
}

/**
 * How many items each list gets of a shared budget, at most `max` each: the same cap for every list
 * (the largest that fits), then what is left one more each in list order (the worst first).
 */
export function share(sizes: readonly number[], max: number, budget: number): number[] {
  const total = (cap: number) => sizes.reduce((sum, s) => sum + Math.min(s, cap), 0);
  let cap = max;
  if (total(max) > budget) {
    let lo = 0;
    let hi = max;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (total(mid) <= budget) lo = mid;
      else hi = mid - 1;
    }
    cap = lo;
  }
  let left = budget - total(cap);
  return sizes.map((s) => {
    const n = Math.min(s, cap);
    if (left > 0 && s > n && n < max) {
      left--;
      return n + 1;
    }
    return n;
  });
}

export function renderFindings(result: AuditResult, limits: HtmlLimits): Html {
  const findings = result.findings;
  const groups = groupByRule(findings);
  const { accessPaths: all, pathParts } = result.analysis;
  const ctx: Context = { all, facts: new PathFactIndex(result), ranks: pathRanks(all, pathParts), accounts: new PathAccounts(all, pathParts), limits };
  // The page's budgets, shared fairly: findings among rules, then listed paths among listed findings.
  const perRule = share(groups.map((g) => g.findings.length), limits.findingsPerRule, limits.findings);
  const shown = groups.flatMap((g, r) => g.findings.slice(0, perRule[r]));
  const perFinding = share(shown.map((f) => f.finding.impact?.paths.length ?? 0), limits.pathsPerFinding, limits.paths);
  const accounts = new Map<string, string>();
  let next = 0;
  const sections = groups.map((g, r) =>
    renderRule(
      g,
      g.findings.slice(0, perRule[r]).map((f) => {
        const i = next++;
        return renderFinding(f, perFinding[i]!, accountsOf(f, ctx, accounts), ctx);
      }),
    ),
  );
  const listed = shown.length;
  const pathsListed = perFinding.reduce((a, b) => a + b, 0);
  const pathsTotal = shown.reduce((a, f) => a + (f.finding.impact?.paths.length ?? 0), 0);
  const open = findings.filter((f) => f.finding.status === 'open').length;
  const accountOptions = [...accounts].sort(([ia, a], [ib, b]) => cmp(a, b) || cmp(ia, ib));
  const filters = html`<form class="filters" id="filters" hidden role="search" aria-label="Filter findings">
  <label>Severity <select name="severity" id="flt-severity"><option value="">all</option>${SEVERITIES.map((s) => html`<option value="${s}">${s}</option>`)}</select></label>
  <label>Rule <select name="rule" id="flt-rule"><option value="">all</option>${groups.map((g) => html`<option value="${g.rule.def.id}">${g.rule.def.id} — ${g.rule.def.title}</option>`)}</select></label>
  <label>Account <select name="account" id="flt-account"><option value="">all</option>${accountOptions.map(([id, name]) => html`<option value="${id}">${name} (${id})</option>`)}<option value="-">no account</option></select></label>
  <label>Status <select name="status" id="flt-status"><option value="">all</option><option value="open">open</option><option value="waived">waived</option></select></label>
  <label class="grow">Search <input type="search" name="q" id="flt-q" placeholder="person, group, account, text…" autocomplete="off"></label>
  <button type="reset" id="flt-reset">Clear</button>
  <p class="count" id="flt-count" aria-live="polite"></p>
  <p class="muted small share">The address bar keeps the filter: copy it to share this view.</p>
</form>
<noscript><p class="muted">JavaScript is off: ${listed === findings.length ? `all ${n(findings.length)} findings are` : `${n(listed)} of ${n(findings.length)} findings are`} listed below; turn it on to filter and search.</p></noscript>`;
  const capped =
    listed < findings.length || pathsListed < pathsTotal
      ? html`<p class="cut" role="note">This page lists ${n(listed)} of ${n(findings.length)} findings (at most ${n(limits.findingsPerRule)} per rule and ${n(limits.findings)} in all, the largest impact first)${pathsListed < pathsTotal ? ` and ${n(pathsListed)} of their ${n(pathsTotal)} access paths (at most ${n(limits.pathsPerFinding)} per finding and ${n(limits.paths)} in all, the worst windows first)` : ''}. Every finding, with all of its paths, is in report.json.</p>`
      : '';
  const list = findings.length
    ? html`${capped}<div id="finding-list">${sections}</div><p class="empty" id="flt-empty" hidden>No finding matches the filter.</p>`
    : html`<p class="ok">✔ No findings.</p>`;
  return section(
    'findings',
    `Findings (${n(findings.length)})`,
    html`${filters}${list}`,
    `${count(open, 'open finding')}, ${n(findings.length - open)} waived, under ${count(groups.length, 'rule')}. A finding is one thing to change; its impact counts the people, accounts (production ones) and the worst window of the access paths it affects — open a finding for them.`,
  );
}
