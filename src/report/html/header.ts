// The page header: tenant, organisation, snapshot time and the gate result.
import { CLOUD_NAMES } from '../../model/snapshot-schema.js';
import type { AuditResult } from '../audit-result.js';
import { TOOL } from '../../util/version.js';
import { html, type Html } from './escape.js';
import { plural, when } from './common.js';

export function renderHeader(result: AuditResult): Html {
  const s = result.snapshot.model;
  const tenant = s.entra.tenant.data;
  const org = s.aws.organization.data;
  const ic = s.aws.identityCenter.data;
  const g = result.gate;
  const why = [
    g.failing ? `${plural(g.failing, 'open finding')} at or above ${g.failOn}` : '',
    g.unreadClouds.length ? `nothing of ${g.unreadClouds.map((c) => CLOUD_NAMES[c]).join(' or ')} was collected` : '',
    g.blockingIncomplete.length && !g.allowIncomplete ? `missing data a rule needs: ${g.blockingIncomplete.join(', ')}` : '',
  ].filter(Boolean);
  const gateText = g.passed
    ? `Gate passed (--fail-on ${g.failOn})${g.allowIncomplete && g.blockingIncomplete.length ? ', incomplete data accepted with --allow-incomplete' : ''}`
    : `Gate failed (--fail-on ${g.failOn}): ${why.join('; ')}`;
  return html`<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true">◆</span> jitaudit <span class="muted">${TOOL.version}</span></div>
  <h1>JIT access audit — ${tenant?.displayName ?? 'tenant not collected'}</h1>
  <dl class="facts">
    <div><dt>Entra tenant</dt><dd>${tenant ? html`${tenant.displayName} <span class="mono muted">${tenant.id}</span>` : html`<span class="missing-text">not collected</span>`}</dd></div>
    <div><dt>AWS organisation</dt><dd>${org ? html`<span class="mono">${org.id}</span> · management account <span class="mono">${org.managementAccountId}</span> · ${plural(org.accounts.length, 'account')}` : html`<span class="missing-text">not collected</span>`}</dd></div>
    <div><dt>Identity Center</dt><dd>${ic ? html`<span class="mono">${ic.instanceArn}</span> (${ic.region})` : html`<span class="missing-text">not collected</span>`}</dd></div>
    <div><dt>Snapshot taken</dt><dd><time datetime="${result.analysis.now}">${when(result.analysis.now)}</time> <span class="muted">(collection ${when(s.meta.collection.startedAt)} → ${when(s.meta.collection.endedAt)}; every judgement is as of this time)</span></dd></div>
    <div><dt>Snapshot file</dt><dd><span class="mono">${result.snapshot.displayPath}</span> <span class="muted mono" title="SHA-256">sha256 ${result.snapshot.sha256.slice(0, 16)}…</span></dd></div>
    <div><dt>Config</dt><dd>${result.config.file ? html`<span class="mono">${result.config.file}</span>` : 'defaults (no config file)'} · ${plural(result.rules.length, 'rule')}</dd></div>
  </dl>
  <p class="gate ${g.passed ? 'gate-pass' : 'gate-fail'}" role="status"><strong>${g.passed ? '✔' : '✘'} ${gateText}</strong></p>
</header>`;
}
