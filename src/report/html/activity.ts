// Activity from CloudTrail: breakglass and root events on a time axis (with MFA and declared drills),
// and the Identity Center credential fetches, each with how it was judged against the access the
// person had at its time (src/analyze/credential-fetches.ts).
import type { AuditResult } from '../audit-result.js';
import { html, type Html } from './escape.js';
import { day, plural, section, when } from './common.js';
import { DEFAULT_HTML_LIMITS, type HtmlLimits } from './limits.js';

interface Ev {
  eventId: string;
  eventTime: string;
  eventName: string;
  accountId: string;
  accountName: string;
  actor: string;
  userName: string;
  signIn: boolean;
  mfaUsed: boolean | null;
  outcome: string | null;
  sourceIpAddress: string | null;
  declaredDrill: { ticket: string; kind: string } | null;
}

/** A federationEvents item's data (src/rules/resource-types.ts documents the fields). */
interface Fetch {
  eventId: string;
  eventTime: string;
  eventName: string;
  upn: string;
  accountId: string | null;
  accountName: string | null;
  environment: string | null;
  permissionSetName: string | null;
  succeeded: boolean;
  attribution: string;
  attributionProblem: string | null;
  standingAccess: boolean;
  activationHistoryCovered: boolean;
  activation: { requestId: string; start: string; end: string | null; endedBy: string | null } | null;
  refusedRequest: { requestId: string; status: string; start: string; end: string | null } | null;
  judgedAgainst: string;
}

const W = 1000;
const LANE = 34;
const LEFT = 330;

export function renderActivity(result: AuditResult, limits: HtmlLimits = DEFAULT_HTML_LIMITS): Html {
  return section('activity', 'Activity', html`${renderBreakglass(result)}${renderFetches(result, limits)}`);
}

/** Newest first, then by event id: the same order whatever the order of the snapshot's events. */
function newestFirst<T extends { eventTime: string; eventId: string }>(events: readonly T[]): T[] {
  const at = new Map(events.map((e) => [e, Date.parse(e.eventTime) || 0]));
  return [...events].sort((a, b) => at.get(b)! - at.get(a)! || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

/** A part of the activity section: a heading, the line under it, its content. */
const part = (id: string, title: string, intro: Html, body: Html | '') => html`<h3 id="${id}">${title}</h3><p class="intro">${intro}</p>${body}`;

function renderBreakglass(result: AuditResult): Html {
  const events = (result.analysis.resources.breakglassEvents ?? []).map((r) => r.data as unknown as Ev);
  const trail = result.snapshot.model.aws.cloudTrail;
  const now = Date.parse(result.analysis.now);
  const starts = (trail.data?.lookups ?? []).map((l) => Date.parse(l.startTime)).filter((t) => !Number.isNaN(t));
  // A loop, not Math.min(...): a spread of many events overflows the stack.
  let from = now - 90 * 86400_000;
  for (const t of [...starts, ...events.map((e) => Date.parse(e.eventTime))]) if (t < from) from = t;
  const intro = trail.provenance.status === 'missing'
    ? html`<span class="missing-text">CloudTrail could not be collected: no activity can be shown.</span>`
    : html`CloudTrail events of root and of the declared breakglass users from ${day(new Date(from).toISOString())} to ${day(result.analysis.now)}: ${plural(events.length, 'event')}.`;
  if (!events.length) return part('activity-breakglass', 'Breakglass and root', intro, html`<p class="ok">No root or breakglass activity in the lookback.</p>`);
  const lanes = [...new Set(events.map((e) => `${e.accountName}|${e.userName}`))].sort();
  const x = (t: number) => LEFT + ((t - from) / Math.max(now - from, 1)) * (W - LEFT - 20);
  const height = lanes.length * LANE + 40;
  const months: Html[] = [];
  const d = new Date(from);
  d.setUTCDate(1);
  d.setUTCHours(0, 0, 0, 0);
  for (d.setUTCMonth(d.getUTCMonth() + 1); d.getTime() <= now; d.setUTCMonth(d.getUTCMonth() + 1)) {
    // A month line at the snapshot's own time would hide the "snapshot" marker.
    if (now - d.getTime() < (now - from) * 0.04) continue;
    const px = x(d.getTime()).toFixed(1);
    months.push(html`<line x1="${px}" x2="${px}" y1="0" y2="${lanes.length * LANE}" class="grid"/><text x="${px}" y="${lanes.length * LANE + 16}" class="axis" text-anchor="middle">${d.toISOString().slice(0, 7)}</text>`);
  }
  const laneEls = lanes.map((lane, i) => {
    const [acct, user] = lane.split('|');
    return html`<text x="${LEFT - 10}" y="${i * LANE + 21}" text-anchor="end" class="lane">${user} · ${acct}</text><line x1="${LEFT}" x2="${W - 20}" y1="${i * LANE + 17}" y2="${i * LANE + 17}" class="laneline"/>`;
  });
  const marks = events.map((e) => {
    const i = lanes.indexOf(`${e.accountName}|${e.userName}`);
    const cls = e.declaredDrill ? 'ev-drill' : e.mfaUsed === false ? 'ev-nomfa' : 'ev-other';
    const px = x(Date.parse(e.eventTime)).toFixed(1);
    return html`<g class="ev ${cls}"><circle cx="${px}" cy="${i * LANE + 17}" r="7"><title>${when(e.eventTime)} ${e.eventName} by ${e.userName} in ${e.accountName}${e.mfaUsed === false ? ' — without MFA' : e.mfaUsed ? ' — with MFA' : ''}${e.declaredDrill ? ` — declared ${e.declaredDrill.kind} ${e.declaredDrill.ticket}` : ''}</title></circle></g>`;
  });
  const nowX = x(now).toFixed(1);
  const svg = html`<svg class="activity" viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="act-t"><title id="act-t">Root and breakglass events over time; the table below lists them</title>${months}${laneEls}<line x1="${nowX}" x2="${nowX}" y1="0" y2="${lanes.length * LANE}" class="now"/><text x="${nowX}" y="${lanes.length * LANE + 32}" text-anchor="end" class="axis">snapshot ${day(result.analysis.now)}</text>${marks}</svg>`;
  const rows = newestFirst(events)
    .map(
      (e) =>
        html`<tr class="${e.declaredDrill ? '' : e.mfaUsed === false ? 'row-bad' : ''}"><td class="nowrap">${when(e.eventTime)}</td><td>${e.accountName} <span class="mono muted small">${e.accountId}</span></td><td>${e.actor === 'root' ? html`<strong>root</strong>` : e.userName}</td><td class="mono">${e.eventName}</td><td>${e.mfaUsed === null ? '—' : e.mfaUsed ? 'yes' : html`<strong class="bad">no</strong>`}</td><td>${e.outcome ?? '—'}</td><td class="mono">${e.sourceIpAddress ?? '—'}</td><td>${e.declaredDrill ? `${e.declaredDrill.kind} ${e.declaredDrill.ticket}` : html`<span class="bad">undeclared</span>`}</td></tr>`,
    );
  return part(
    'activity-breakglass',
    'Breakglass and root',
    intro,
    html`<ul class="tl-legend"><li><span class="key key-nomfa"></span>without MFA</li><li><span class="key key-other"></span>other use</li><li><span class="key key-drill"></span>declared drill</li></ul><div class="scroll">${svg}</div><div class="scroll"><table class="events"><caption class="sr-only">Root and breakglass events</caption><thead><tr><th scope="col">Time</th><th scope="col">Account</th><th scope="col">Who</th><th scope="col">Event</th><th scope="col">MFA</th><th scope="col">Outcome</th><th scope="col">Source IP</th><th scope="col">Declared</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

/** How a fetch was judged, in words, and whether it is one a reader should look at. */
function judgement(f: Fetch): { text: Html; bad: boolean } {
  const refused = f.refusedRequest
    ? html`refused request <span class="mono">${f.refusedRequest.requestId}</span> (${f.refusedRequest.status}, ${when(f.refusedRequest.start)} – ${when(f.refusedRequest.end)})`
    : null;
  if (f.attribution !== 'attributed') return { text: html`<strong class="bad">unattributed</strong> (${f.attribution}): ${f.attributionProblem ?? 'no reason recorded'}`, bad: true };
  if (f.standingAccess) return { text: html`standing access`, bad: false };
  const a = f.activation;
  if (a) {
    const span = html`<span class="mono">${a.requestId}</span> (${when(a.start)} – ${a.end ? when(a.end) : 'no end on record'})`;
    if (a.end === null || Date.parse(f.eventTime) <= Date.parse(a.end)) return { text: html`during activation ${span}${refused ? html`; also a ${refused}` : ''}`, bad: false };
    return { text: html`<strong class="bad">after activation</strong> ${span} ended${a.endedBy ? ` (${a.endedBy})` : ''}`, bad: true };
  }
  if (refused) return { text: html`<strong class="bad">no activation</strong>: a ${refused}`, bad: true };
  if (!f.activationHistoryCovered) return { text: html`<span class="muted">not judged: the PIM history does not cover the event</span>`, bad: false };
  return { text: html`<strong class="bad">no activation</strong> on record`, bad: true };
}

function renderFetches(result: AuditResult, limits: HtmlLimits): Html {
  const title = 'Identity Center credential fetches';
  const trail = result.snapshot.model.aws.cloudTrail;
  if (trail.provenance.status === 'missing') {
    return part('activity-fetches', title, html`<span class="missing-text">CloudTrail could not be collected: no credential fetch can be shown.</span>`, '');
  }
  const fetches = newestFirst((result.analysis.resources.federationEvents ?? []).map((r) => r.data as unknown as Fetch));
  const judged = fetches.map((f) => ({ f, ...judgement(f) }));
  const flagged = judged.filter((j) => j.bad && j.f.succeeded).length;
  const failed = fetches.filter((f) => !f.succeeded).length;
  const intro = html`CloudTrail's GetRoleCredentials and Federate events, each judged against the access the person had at its time: ${plural(fetches.length, 'fetch', 'fetches')}, ${flagged} of them without a matching activation or standing access${failed ? `, ${failed} failed (nothing fetched)` : ''}.`;
  if (!fetches.length) return part('activity-fetches', title, intro, html`<p class="empty">No Identity Center credential fetch in the lookback.</p>`);
  const shown = judged.slice(0, limits.fetches);
  const rows = shown.map(
    ({ f, text, bad }) =>
      html`<tr class="${bad && f.succeeded ? 'row-bad' : ''}"><td class="nowrap">${when(f.eventTime)}</td><td>${f.upn}</td><td>${f.accountName ?? f.accountId ?? '—'}${f.accountName && f.accountId ? html` <span class="mono muted small">${f.accountId}</span>` : ''}${f.environment === 'prod' ? html` <span class="env env-prod">prod</span>` : ''}</td><td>${f.permissionSetName ?? '—'}</td><td class="mono">${f.eventName}</td><td>${f.succeeded ? 'fetched' : html`<span class="muted">failed (nothing fetched)</span>`}</td><td>${text}<br><span class="muted small">judged against ${f.judgedAgainst}</span></td></tr>`,
  );
  // Every fetch is in report.json (credentialFetches): the page shows the most recent.
  const cut =
    shown.length < fetches.length
      ? html`<p class="cut" role="note">Showing the ${shown.length.toLocaleString('en-US')} most recent of ${fetches.length.toLocaleString('en-US')} credential fetches. Every fetch is in report.json (credentialFetches), with how it was judged.</p>`
      : '';
  return part(
    'activity-fetches',
    title,
    intro,
    html`<div class="scroll"><table class="events fetches"><caption class="sr-only">Identity Center credential fetches, the most recent first</caption><thead><tr><th scope="col">Time</th><th scope="col">Who</th><th scope="col">Account</th><th scope="col">Permission set</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Judged</th></tr></thead><tbody>${rows}</tbody></table></div>${cut}`,
  );
}
