// How much of a large organisation the page lists item by item. A page of hundreds of megabytes
// helps nobody and no browser opens it; every list says when it is cut, and where the rest is.
import { html, type Html } from './escape.js';

export interface HtmlLimits {
  /** Findings listed, most severe first. */
  findings: number;
  /** JIT window bars, unbounded and longest first. */
  timelines: number;
  /** People in the production matrix, those with standing access first. */
  matrixPeople: number;
  /** Production accounts in the matrix, those most people reach first. */
  matrixAccounts: number;
}

export const DEFAULT_HTML_LIMITS: HtmlLimits = { findings: 2000, timelines: 1000, matrixPeople: 1000, matrixAccounts: 60 };

export function cutNote(shown: number, total: number, what: string, order: string): Html | '' {
  if (shown >= total) return '';
  return html`<p class="cut" role="note">Showing ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${what} (${order}). Every one of them is in report.json${what === 'findings' ? ' and report.sarif' : ''}.</p>`;
}
