// How much of a large organisation the page lists item by item. A page of hundreds of megabytes
// helps nobody and no browser opens it; every list says when it is cut, and where the rest is.
import { html, type Html } from './escape.js';

export interface HtmlLimits {
  /** Findings listed in all, shared among the rules (see findings.ts: share). */
  findings: number;
  /** Findings listed per rule, the largest impact first. */
  findingsPerRule: number;
  /** Access paths listed in all, shared among the listed findings. */
  paths: number;
  /** Access paths listed per finding, the worst window first. */
  pathsPerFinding: number;
  /** JIT window bars, unbounded and longest first. */
  timelines: number;
  /** People in the production matrix, those with standing access first. */
  matrixPeople: number;
  /** Production accounts in the matrix, those most people reach first. */
  matrixAccounts: number;
  /** Identity Center credential fetches in the activity section, the most recent first. */
  fetches: number;
}

/**
 * What keeps a 50,000-person organisation's page (40,000 findings, 338,000 paths) near 6 MiB, under
 * 8 MiB: findings about 1.5 KB each, a path row about 200 bytes, a window bar about 3 KB, a matrix
 * cell about 70 bytes, a credential fetch row about 700 bytes.
 */
export const DEFAULT_HTML_LIMITS: HtmlLimits = {
  findings: 1000,
  findingsPerRule: 200,
  paths: 8000,
  pathsPerFinding: 25,
  timelines: 500,
  matrixPeople: 500,
  matrixAccounts: 40,
  fetches: 500,
};

const n = (x: number) => x.toLocaleString('en-US');

export function cutNote(shown: number, total: number, what: string, order: string): Html | '' {
  if (shown >= total) return '';
  return html`<p class="cut" role="note">Showing ${n(shown)} of ${n(total)} ${what} (${order}). Every one of them is in report.json${what === 'findings' ? ' and report.sarif' : ''}.</p>`;
}

/** The end of a list cut inside one item: "… and 1,234 more access paths in report.json (where)". */
export function moreNote(shown: number, total: number, what: string, where: string): Html | '' {
  if (shown >= total) return '';
  return html`<p class="cut" role="note">… and ${n(total - shown)} more ${what} in report.json (${where}).</p>`;
}
