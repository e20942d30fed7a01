// Coverage: every snapshot section with its provenance. Missing sections are loud: an auditor never
// passes what the tool could not see.
import { presentSections } from '../../model/snapshot-schema.js';
import type { ProvenanceT } from '../../model/snapshot-schema.js';
import type { AuditResult } from '../audit-result.js';
import { html, type Html } from './escape.js';
import { plural, provenanceBadge, section, when } from './common.js';

function detail(p: ProvenanceT): Html {
  switch (p.status) {
    case 'collected':
      return html`<span class="mono">${p.source}</span> <span class="muted">at ${when(p.collectedAt)}</span>`;
    case 'declared':
      return html`${p.source}${p.note ? html` <span class="muted">(${p.note})</span>` : ''}`;
    case 'missing':
      return html`<strong>${p.error.status !== null ? `${p.error.status} ` : ''}${p.error.code}</strong>: ${p.error.message}${p.fix ? html`<br><span class="fix">Fix: ${p.fix}</span>` : ''}`;
  }
}

type Lookup = NonNullable<AuditResult['snapshot']['model']['aws']['cloudTrail']['data']>['lookups'][number];

/**
 * Which CloudTrail Regions were searched, per lookup target (root, each breakglass user, the
 * federation events): an event recorded in a Region not listed here was not seen.
 */
export function trailRegions(lookups: readonly Lookup[]): Html | '' {
  if (!lookups.length) return '';
  // Per target and Region: the accounts searched, and how many of those lookups failed.
  const byTarget = new Map<string, { regions: Map<string, { all: number; failed: number }>; accounts: Set<string> }>();
  for (const l of lookups) {
    const key = l.attribute === 'Username' ? (l.value === 'root' ? 'root' : `breakglass user ${l.value}`) : `${l.attribute}=${l.value}`;
    let t = byTarget.get(key);
    if (!t) byTarget.set(key, (t = { regions: new Map(), accounts: new Set() }));
    const r = t.regions.get(l.region) ?? { all: 0, failed: 0 };
    r.all++;
    if (l.provenance.status === 'missing') r.failed++;
    t.regions.set(l.region, r);
    t.accounts.add(l.accountId);
  }
  const items = [...byTarget.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([target, t]) => {
      const list = [...t.regions.keys()].sort().map((name) => {
        const r = t.regions.get(name)!;
        if (!r.failed) return html`${name}`;
        return html`<span class="prov-missing">${name} ⚠${r.all > 1 ? ` ${r.failed}/${r.all}` : ''}</span>`;
      });
      return html`<li>${target}${t.accounts.size > 1 ? ` (${plural(t.accounts.size, 'account')})` : ''}: <span class="mono">${list.map((x, i) => (i ? html`, ${x}` : x))}</span></li>`;
    });
  return html`<tr><th scope="row" class="mono">aws.cloudTrail Regions</th><td>${provenanceBadge('collected')}</td><td>Regions searched (an event recorded elsewhere was not seen; ⚠ = the lookup failed, in n of m accounts):<ul class="regions">${items}</ul></td><td></td></tr>`;
}

export function renderCoverage(result: AuditResult): Html {
  const s = result.snapshot.model;
  const needed = new Set(result.rules.flatMap((r) => r.type.needs));
  const rows = presentSections(s).map(({ path, section }) => {
    const p = section.provenance;
    const missing = p.status === 'missing';
    return html`<tr class="${missing ? 'row-missing' : ''}"><th scope="row" class="mono">${path}</th><td>${missing ? html`<span class="prov prov-missing">⚠ missing</span>` : provenanceBadge(p.status)}</td><td>${detail(p)}</td><td>${missing && needed.has(path) ? html`<strong>rules need it</strong>` : ''}</td></tr>`;
  });
  // Per-account parts: IAM credential reports and CloudTrail lookups.
  const parts: Html[] = [];
  for (const acct of s.aws.iamUsers.data ?? []) {
    if (acct.provenance.status === 'missing') parts.push(html`<tr class="row-missing"><th scope="row" class="mono">aws.iamUsers[${acct.accountId}]</th><td><span class="prov prov-missing">⚠ missing</span></td><td>${detail(acct.provenance)}</td><td>${needed.has('aws.iamUsers') ? html`<strong>rules need it</strong>` : ''}</td></tr>`);
  }
  for (const l of s.aws.cloudTrail.data?.lookups ?? []) {
    if (l.provenance.status === 'missing') parts.push(html`<tr class="row-missing"><th scope="row" class="mono">aws.cloudTrail[${l.accountId}/${l.region}/${l.attribute}=${l.value}]</th><td><span class="prov prov-missing">⚠ missing</span></td><td>${detail(l.provenance)}</td><td>${needed.has('aws.cloudTrail') ? html`<strong>rules need it</strong>` : ''}</td></tr>`);
  }
  const regions = trailRegions(s.aws.cloudTrail.data?.lookups ?? []);
  const incomplete = result.analysis.incomplete;
  const banner = incomplete.length
    ? html`<div class="alert" role="alert"><strong>⚠ Incomplete: ${plural(incomplete.length, 'part')} of the snapshot could not be collected</strong> — ${incomplete.join(', ')}. Findings that depend on ${incomplete.length === 1 ? 'it' : 'them'} cannot be trusted to be complete${result.gate.blockingIncomplete.length ? (result.gate.allowIncomplete ? '; accepted with --allow-incomplete.' : '; the gate fails because of it.') : '.'}</div>`
    : html`<p class="ok">✔ Every section was collected or declared.</p>`;
  const warnings = result.analysis.warnings.length
    ? html`<h3>Warnings</h3><ul class="warnings">${result.analysis.warnings.map((w) => html`<li>${w}</li>`)}</ul>`
    : '';
  return section(
    'coverage',
    'Coverage',
    html`${banner}<div class="scroll"><table class="coverage"><caption class="sr-only">Snapshot sections and their provenance</caption><thead><tr><th scope="col">Section</th><th scope="col">Provenance</th><th scope="col">Source, time or error</th><th scope="col">Impact</th></tr></thead><tbody>${rows}${regions}${parts}</tbody></table></div>${warnings}`,
    'What the snapshot could see, and where each part came from: collected from an API, declared in the config (no API exposes it), or missing.',
  );
}
