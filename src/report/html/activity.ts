// Breakglass and root activity on a time axis: CloudTrail events of root and of the declared
// breakglass users, across the CloudTrail lookback, with MFA and declared drills.
import type { AuditResult } from '../audit-result.js';
import { html, type Html } from './escape.js';
import { day, plural, section, when } from './common.js';

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

const W = 1000;
const LANE = 34;
const LEFT = 330;

export function renderActivity(result: AuditResult): Html {
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
  if (!events.length) return section('activity', 'Breakglass and root activity', html`<p class="ok">No root or breakglass activity in the lookback.</p>`, intro);
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
  const rows = [...events]
    .sort((a, b) => (a.eventTime < b.eventTime ? 1 : -1))
    .map(
      (e) =>
        html`<tr class="${e.declaredDrill ? '' : e.mfaUsed === false ? 'row-bad' : ''}"><td class="nowrap">${when(e.eventTime)}</td><td>${e.accountName} <span class="mono muted small">${e.accountId}</span></td><td>${e.actor === 'root' ? html`<strong>root</strong>` : e.userName}</td><td class="mono">${e.eventName}</td><td>${e.mfaUsed === null ? '—' : e.mfaUsed ? 'yes' : html`<strong class="bad">no</strong>`}</td><td>${e.outcome ?? '—'}</td><td class="mono">${e.sourceIpAddress ?? '—'}</td><td>${e.declaredDrill ? `${e.declaredDrill.kind} ${e.declaredDrill.ticket}` : html`<span class="bad">undeclared</span>`}</td></tr>`,
    );
  return section(
    'activity',
    'Breakglass and root activity',
    html`<ul class="tl-legend"><li><span class="key key-nomfa"></span>without MFA</li><li><span class="key key-other"></span>other use</li><li><span class="key key-drill"></span>declared drill</li></ul><div class="scroll">${svg}</div><div class="scroll"><table class="events"><caption class="sr-only">Root and breakglass events</caption><thead><tr><th scope="col">Time</th><th scope="col">Account</th><th scope="col">Who</th><th scope="col">Event</th><th scope="col">MFA</th><th scope="col">Outcome</th><th scope="col">Source IP</th><th scope="col">Declared</th></tr></thead><tbody>${rows}</tbody></table></div>`,
    intro,
  );
}
