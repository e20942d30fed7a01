// A timeline for each JIT path: the effective window as a stacked bar A | L | P | S, to one scale,
// each term labelled with its duration and provenance, the policy limit drawn as a line, and an
// unbounded window drawn as running off the edge.
import type { AccessPathDetail } from '../../analyze/types.js';
import { pathsWhere } from '../../analyze/path-parts.js';
import { TERM_ORDER, type EffectiveWindow } from '../../analyze/window.js';
import { isoToSeconds, isoToWords, secondsToWords } from '../../util/duration.js';
import type { AuditResult } from '../audit-result.js';
import { TERMS, termValueWords, totalWords, windowSentence } from '../window-words.js';
import { cutNote, type HtmlLimits } from './limits.js';
import { html, type Html } from './escape.js';
import { KIND_LABEL, section } from './common.js';

const HOUR = 3600;
/**
 * The longest window the chart draws to scale: a year. A longer one (a schema-valid PT9999999999H)
 * would otherwise set a scale of millions of ticks, built one by one until the heap is exhausted; it
 * is drawn running off the chart's edge, and its label still says its true length.
 */
const CHART_MAX = 366 * 24 * HOUR;

interface Limit {
  seconds: number;
  iso: string;
  environments: string[];
}

/** The effective-window-too-long rule's limit, when that rule is enabled. */
function windowLimit(result: AuditResult): Limit | null {
  const rule = result.rules.find((r) => r.def.id === 'effective-window-too-long');
  const iso = rule?.params.maxWindow;
  const seconds = typeof iso === 'string' ? isoToSeconds(iso) : null;
  if (!rule || seconds === null) return null;
  const envs = Array.isArray(rule.params.environments) ? rule.params.environments.map(String) : [];
  return { seconds, iso: iso as string, environments: envs };
}

const termSeconds = (w: EffectiveWindow) => TERM_ORDER.map((n) => (w.terms[n].value === null ? null : isoToSeconds(w.terms[n].value!)));

/** A tick step that gives at most 12 ticks (30-day steps beyond 12 weeks, in whole multiples). */
function niceStep(max: number): number {
  for (const h of [1, 2, 4, 6, 12, 24, 48, 168]) if (max / (h * HOUR) <= 12) return h * HOUR;
  return Math.max(1, Math.ceil(max / (12 * 720 * HOUR))) * 720 * HOUR;
}

const pct = (x: number) => `${(Math.round(x * 1000) / 1000).toString()}%`;

function renderRow(p: AccessPathDetail, scale: number, step: number, limit: Limit | null): Html {
  const w = p.window!;
  const secs = termSeconds(w);
  const segments: Html[] = [];
  let used = 0;
  for (const [i, name] of TERM_ORDER.entries()) {
    const t = w.terms[name];
    const info = TERMS[name];
    const title = `${info.letter} — ${info.name}: ${termValueWords(t)} (${t.provenance.status}: ${t.provenance.source})`;
    if (t.unbounded) {
      segments.push(html`<span class="seg seg-${info.letter} seg-unbounded" style="width:${pct(Math.max(100 - used, 12))}" title="${title}"><span class="seg-l">${info.letter} ∞ unbounded →</span></span>`);
      break;
    }
    const s = secs[i];
    if (s === null || s === undefined) {
      segments.push(html`<span class="seg seg-${info.letter} seg-unknown" style="width:3%" title="${title}"><span class="seg-l">?</span></span>`);
      used += 3;
      continue;
    }
    // Clamped: past the chart's range the bar runs off its edge (the label says how long it is).
    const width = Math.min((s / scale) * 100, Math.max(100 - used, 0));
    const cut = width < (s / scale) * 100;
    used += width;
    segments.push(
      html`<span class="seg seg-${info.letter} prov-fill-${t.provenance.status}" style="width:${pct(width)}" title="${cut ? `${title}; longer than the chart, drawn to its edge` : title}">${width >= 6 ? html`<span class="seg-l">${info.letter} ${termValueWords(t)}${cut ? ' →' : ''}</span>` : ''}</span>`,
    );
  }
  const applies = limit && limit.environments.includes(p.account.environment);
  const over = applies && (w.unbounded || (w.total !== null && (isoToSeconds(w.total) ?? 0) > limit.seconds));
  const legend = TERM_ORDER.map((name) => {
    const t = w.terms[name];
    return html`<li><span class="key key-${TERMS[name].letter}" aria-hidden="true"></span><strong>${TERMS[name].letter}</strong> ${TERMS[name].name} <strong>${termValueWords(t)}</strong> <span class="prov prov-${t.provenance.status}">${t.provenance.status === 'default' ? 'assumed' : t.provenance.status}</span> <span class="muted">${t.provenance.source}</span></li>`;
  });
  return html`<li class="tl-row${over ? ' tl-over' : ''}${w.unbounded ? ' tl-unbounded' : ''}">
<div class="tl-head"><span class="tl-who">${p.principal.upn ?? p.principal.identityCenterUserId}</span> → <span class="tl-acct">${p.account.name}</span> / <span class="tl-ps">${p.permissionSet.name}</span>
<span class="muted small">${KIND_LABEL[p.kind]} of ${p.group?.name ?? '—'} · ${p.account.environment} · ${p.permissionSet.tier}</span>
<span class="tl-total${over ? ' tl-total-over' : ''}">${w.unbounded ? '∞ unbounded' : w.total !== null ? isoToWords(w.total) : totalWords(w)}${applies ? html` <span class="muted small">/ limit ${isoToWords(limit.iso)}</span>` : ''}</span></div>
<div class="tl-bar" style="background-size:${pct((step / scale) * 100)} 100%" role="img" aria-label="${windowSentence(w)}">${segments}${applies ? html`<span class="limit" style="left:${pct(Math.min(limit.seconds / scale, 1) * 100)}" title="Policy limit ${isoToWords(limit.iso)} (rule effective-window-too-long, ${limit.environments.join(', ')})"></span>` : ''}</div>
<details class="tl-detail"><summary>${windowSentence(w)}</summary><ul class="tl-terms">${legend}</ul></details>
</li>`;
}

export function renderTimelines(result: AuditResult, limits: HtmlLimits): Html {
  const { accessPaths: all, pathParts } = result.analysis;
  // A JIT grant's paths have a window (number 0 is none).
  const jit = pathsWhere(all, pathParts, 'grant', (p) => !p.standing)
    .filter((i) => pathParts.window[i] !== 0)
    .map((i) => all[i]!);
  const limit = windowLimit(result);
  if (!jit.length) return section('timelines', 'Effective access windows', html`<p class="muted">No just-in-time paths in this snapshot.</p>`);
  // Paths share their window objects: each is added up once.
  const totalOf = new Map<object, number>();
  const totals = jit.map((p) => {
    const w = p.window!;
    let total = totalOf.get(w);
    if (total === undefined) totalOf.set(w, (total = w.unbounded ? 0 : termSeconds(w).reduce<number>((a, s) => a + (s ?? 0), 0)));
    return total;
  });
  // A loop, not Math.max(...totals): spreading a large organisation's 100,000+ paths overflows the stack.
  let max = Math.max(limit?.seconds ?? 0, HOUR);
  for (const total of totals) if (total > max) max = total;
  max = Math.min(max, CHART_MAX);
  const step = niceStep(max * 1.05);
  const scale = Math.ceil((max * 1.05) / step) * step;
  const ticks: Html[] = [];
  for (let t = 0; t <= scale; t += step) {
    const edge = t === 0 ? ' tick-first' : t + step > scale ? ' tick-last' : '';
    ticks.push(html`<span class="tick${edge}" style="left:${pct((t / scale) * 100)}">${t === 0 ? '0' : secondsToWords(t)}</span>`);
  }
  // Ties in id order, which is the analysis's order of paths: their positions, not their ids, compared.
  const rows = jit
    .map((p, i) => ({ p, i, total: totals[i]! }))
    .sort((a, b) => Number(b.p.window!.unbounded) - Number(a.p.window!.unbounded) || b.total - a.total || a.i - b.i)
    .slice(0, limits.timelines)
    .map(({ p }) => renderRow(p, scale, step, limit));
  const legend = html`<ul class="tl-legend" aria-label="Legend">${TERM_ORDER.map((n) => html`<li><span class="key key-${TERMS[n].letter}" aria-hidden="true"></span><strong>${TERMS[n].letter}</strong> ${TERMS[n].name}</li>`)}<li><span class="key key-hatch" aria-hidden="true"></span>assumed or declared (not read from an API)</li><li><span class="key key-limit" aria-hidden="true"></span>policy limit${limit ? ` (${isoToWords(limit.iso)}, ${limit.environments.join(', ')})` : ': rule disabled'}</li></ul>`;
  return section(
    'timelines',
    'Effective access windows of just-in-time paths',
    html`${legend}<div class="tl-axis" aria-hidden="true">${ticks}${limit ? html`<span class="axis-limit" style="left:${pct(Math.min(limit.seconds / scale, 1) * 100)};top:-18px;bottom:auto">limit ${isoToWords(limit.iso)} (${limit.environments.join(', ')})</span>` : ''}</div>${cutNote(rows.length, jit.length, 'just-in-time paths', 'unbounded and longest windows first')}<ol class="timelines">${rows}</ol>`,
    'How long a "just-in-time" activation really lasts: A the PIM activation maximum + L until Identity Center sees the removal + P a portal session started before that + S credentials fetched at the last moment. All bars share one scale.',
  );
}
