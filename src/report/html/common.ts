// Small pieces every section of the HTML report uses.
import type { Severity } from '../../rules/rule-schema.js';
import { html, type Html, type Interpolation } from './escape.js';

/** "2026-10-01 06:00 UTC" — times are the snapshot's, never the wall clock's. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = d.toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

export const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '—');

export function severityBadge(severity: Severity): Html {
  return html`<span class="sev sev-${severity}">${severity}</span>`;
}

const PROVENANCE_LABEL: Record<string, string> = {
  collected: 'collected',
  declared: 'declared',
  default: 'assumed',
  missing: 'missing',
};

export function provenanceBadge(status: string): Html {
  return html`<span class="prov prov-${PROVENANCE_LABEL[status] ? status : 'missing'}">${PROVENANCE_LABEL[status] ?? status}</span>`;
}

export function section(id: string, title: string, body: Interpolation, intro?: Interpolation): Html {
  return html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${intro ? html`<p class="intro">${intro}</p>` : ''}${body}</section>`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const KIND_LABEL: Record<string, string> = {
  'pim-eligible': 'PIM-eligible member',
  'pim-active': 'PIM active assignment',
  'direct-member': 'plain member',
  owner: 'group owner',
  'direct-assignment': 'direct Identity Center assignment',
  'unmanaged-ic': 'Identity Center only (no Entra source)',
};
