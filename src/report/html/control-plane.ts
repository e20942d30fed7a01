// "Who can get around the JIT": the controlPlane collection (src/analyze/control-plane.ts) — who can
// make themselves admin in production without the groups' PIM, and how fast: at any time (standing),
// or within one activation of an eligible role. Worst first. Every tenant string goes through `html`.
import { isoToWords } from '../../util/duration.js';
import type { AuditResult } from '../audit-result.js';
import { totalWords } from '../window-words.js';
import type { EffectiveWindow } from '../../analyze/window.js';
import type { PimRoleSettings } from '../../analyze/pim-policy.js';
import { plural, section } from './common.js';
import { html, type Html } from './escape.js';

/** The fields of a controlPlane item the section shows (resource-types.ts documents them all). */
interface Item {
  kind: string;
  holder: string;
  principal: { type: string; displayName: string | null };
  how: string;
  scope: string;
  standing: boolean;
  activeNow: boolean;
  controls: PimRoleSettings | null;
  window: EffectiveWindow | null;
  capabilities: string[];
  reachSummary: string;
  reachKnown: boolean;
  reachesAdminInProd: boolean;
  prodAccountCount: number;
  pathCount: number;
}

/** At most this many rows: a tenant has tens of holders, not thousands; the rest are in report.json's findings. */
const ROWS = 500;

const danger = (i: Item) => i.reachesAdminInProd || !i.reachKnown;

/** Worst first: can reach admin in production (or unknown), standing before eligible, widest reach, then by holder. */
export function worstFirst(a: Item, b: Item): number {
  return (
    Number(danger(b)) - Number(danger(a)) ||
    Number(b.standing) - Number(a.standing) ||
    b.prodAccountCount - a.prodAccountCount ||
    b.pathCount - a.pathCount ||
    (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0) ||
    (a.how < b.how ? -1 : a.how > b.how ? 1 : 0)
  );
}

function speed(i: Item): Html {
  if (i.standing) return html`<strong>at any time</strong> (standing: nothing to activate)`;
  const c = i.controls;
  const controls = c
    ? html`approval ${c.approvalRequired ? 'yes' : html`<strong>no</strong>`}, MFA ${c.mfaOnActivation || c.authenticationContext !== null ? 'yes' : html`<strong>no</strong>`}, activation up to ${c.activationMaximum ? isoToWords(c.activationMaximum) : 'an unknown time'}`
    : html`<strong>PIM policy not read</strong>`;
  return html`${i.activeNow ? html`<strong>ACTIVE NOW</strong>; ` : ''}after one activation (eligible): ${controls}; window ${i.window ? totalWords(i.window) : 'unknown'}`;
}

export function renderControlPlane(result: AuditResult): Html | '' {
  const items = (result.analysis.resources.controlPlane ?? []).map((r) => r.data as unknown as Item);
  const entra = result.snapshot.model.entra as unknown as Record<string, { provenance: { status: string } } | undefined>;
  const sections = ['directoryRoles', 'appOwners', 'workloadIdentities'].filter((s) => entra[s] !== undefined);
  const unread = sections.filter((s) => entra[s]!.provenance.status === 'missing').map((s) => `entra.${s}`);
  const title = 'Who can get around the JIT';
  if (!sections.length) {
    return section('control-plane', title, html`<p>Not assessed: the snapshot has no directory roles, app owners or workload identities (collected by jitaudit collect since they were added).</p>`);
  }
  const sorted = [...items].sort(worstFirst);
  const shown = sorted.slice(0, ROWS);
  const rows = shown.map(
    (i) => html`<tr><th scope="row">${i.holder}${i.principal.displayName && i.principal.displayName !== i.holder ? html`<br><span class="aid">${i.principal.displayName}</span>` : ''}<br><span class="aid">${i.principal.type}</span></th><td>${i.how}<br><span class="aid">scope ${i.scope}</span></td><td>${speed(i)}</td><td>${i.capabilities.join(', ')}</td><td>${i.reachKnown ? '' : html`<strong>unknown</strong>: `}${i.reachSummary}${i.reachesAdminInProd ? html`<br><strong>admin in production</strong>` : ''}</td></tr>`,
  );
  const worst = items.filter(danger).length;
  const intro = html`People and workloads who can give themselves (or anyone) AWS access without the groups' PIM: directory roles that can change the AWS app's groups, PIM for Groups, role assignments or the app; owners of the app; workload identities with Microsoft Graph write permissions and their owners. ${worst} of ${plural(items.length, 'holder')} can reach admin in production (or their reach cannot be told).`;
  const incomplete = unread.length
    ? html`<p class="cut" role="note"><strong>Incomplete</strong>: ${unread.join(', ')} could not be read; holders found through ${unread.length === 1 ? 'it' : 'them'} are missing from this list.</p>`
    : '';
  const body = items.length
    ? html`${incomplete}<div class="scroll"><table class="paths control-plane"><caption class="sr-only">Holders who can get around the JIT, worst first</caption><thead><tr><th scope="col">Holder</th><th scope="col">How</th><th scope="col">How fast</th><th scope="col">Can change</th><th scope="col">Can take over</th></tr></thead><tbody>${rows}</tbody></table></div>${
        sorted.length > shown.length ? html`<p class="cut" role="note">Showing ${shown.length} of ${sorted.length} holders (worst first). Their findings are in report.json.</p>` : ''
      }`
    : unread.length
      ? incomplete
      : html`<p>Nobody found: no directory role, app owner or workload identity that can change who reaches AWS.</p>`;
  return section('control-plane', title, body, intro);
}
