// Access matrix of production accounts: who can reach each, with which permission set, standing or JIT.
import type { AccessPathDetail } from '../../analyze/types.js';
import { pathsWhere } from '../../analyze/path-parts.js';
import type { AuditResult } from '../audit-result.js';
import { cutNote, type HtmlLimits } from './limits.js';
import { html, type Html } from './escape.js';
import { KIND_LABEL, plural, section } from './common.js';
import { compareStrings as cmp } from '../../util/compare.js';

const PROD = 'prod';

function cell(paths: AccessPathDetail[]): Html {
  if (!paths.length) return html`<td class="cell-none"><span class="sr-only">no access</span></td>`;
  const standingAdmin = paths.some((p) => p.standing && p.permissionSet.tier === 'admin');
  const standing = paths.some((p) => p.standing);
  const cls = standingAdmin ? 'cell-standing-admin' : standing ? 'cell-standing' : 'cell-jit';
  const entries = [...paths]
    .sort((a, b) => cmp(a.permissionSet.name, b.permissionSet.name) || Number(b.standing) - Number(a.standing))
    .map(
      (p) =>
        html`<li title="${KIND_LABEL[p.kind]}${p.group ? ` of ${p.group.name}` : ''}"><span class="acc acc-${p.standing ? 'standing' : 'jit'}">${p.standing ? 'standing' : 'JIT'}</span> ${p.permissionSet.name}${p.permissionSet.tier === 'admin' ? html` <span class="tier">admin</span>` : ''}</li>`,
    );
  return html`<td class="${cls}"><ul>${entries}</ul></td>`;
}

export function renderMatrix(result: AuditResult, limits: HtmlLimits): Html {
  const { accessPaths: all, pathParts } = result.analysis;
  const prod = pathsWhere(all, pathParts, 'target', (p) => p.account.environment === PROD).map((i) => all[i]!);
  if (!prod.length) return section('matrix', 'Production access matrix', html`<p class="muted">No access paths into production accounts.</p>`);
  const who = (p: AccessPathDetail) => p.principal.upn ?? p.principal.identityCenterUserId ?? 'unknown';

  // Grouped once (in path order, as filtering would keep it), not filtered per person and per account:
  // that was people × paths, the largest cost of a large organisation's audit.
  const byPerson = new Map<string, Map<string, AccessPathDetail[]>>();
  const accountsById = new Map<string, AccessPathDetail['account']>();
  const withStanding = new Set<string>();
  for (const p of prod) {
    const person = who(p);
    let mine = byPerson.get(person);
    if (!mine) byPerson.set(person, (mine = new Map()));
    const list = mine.get(p.account.id);
    if (list) list.push(p);
    else {
      mine.set(p.account.id, [p]);
      if (!accountsById.has(p.account.id)) accountsById.set(p.account.id, p.account);
    }
    if (p.standing) withStanding.add(person);
  }
  const allAccounts = [...accountsById.values()].sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
  // sort() without a comparator orders strings by code units, as cmp does.
  const allPeople = [...byPerson.keys()].sort();
  const standingOf = (person: string) => withStanding.has(person);
  // Past the limits: the people with standing access first, and the accounts most people reach.
  const people =
    allPeople.length <= limits.matrixPeople
      ? allPeople
      : [...allPeople.filter(standingOf), ...allPeople.filter((p) => !standingOf(p))].slice(0, limits.matrixPeople).sort(cmp);
  let accounts = allAccounts;
  if (allAccounts.length > limits.matrixAccounts) {
    const reach = new Map<string, number>();
    for (const mine of byPerson.values()) for (const id of mine.keys()) reach.set(id, (reach.get(id) ?? 0) + 1);
    const top = new Set([...allAccounts].sort((a, b) => (reach.get(b.id) ?? 0) - (reach.get(a.id) ?? 0) || cmp(a.id, b.id)).slice(0, limits.matrixAccounts).map((a) => a.id));
    accounts = allAccounts.filter((a) => top.has(a.id));
  }
  const head = html`<tr><th scope="col">Person</th>${accounts.map((a) => html`<th scope="col">${a.name}<br><span class="mono muted small">${a.id}</span></th>`)}</tr>`;
  const rows = people.map((person) => {
    const mine = byPerson.get(person)!;
    return html`<tr><th scope="row"><span class="${standingOf(person) ? 'who-standing' : ''}">${person}</span></th>${accounts.map((a) => cell(mine.get(a.id) ?? []))}</tr>`;
  });
  const standingPeople = withStanding.size;
  const cut = html`${cutNote(people.length, allPeople.length, 'people', 'those with standing access first')}${cutNote(accounts.length, allAccounts.length, 'production accounts', 'those most people reach first')}`;
  return section(
    'matrix',
    'Production access matrix',
    html`<ul class="tl-legend"><li><span class="key key-standing-admin"></span>standing admin</li><li><span class="key key-standing"></span>standing</li><li><span class="key key-jit"></span>just-in-time only</li></ul>${cut}<div class="scroll"><table class="matrix"><caption class="sr-only">Who can reach each production account, standing or just-in-time</caption><thead>${head}</thead><tbody>${rows}</tbody></table></div>`,
    `${plural(allPeople.length, 'person', 'people')} can reach ${plural(allAccounts.length, 'production account')}; ${standingPeople} of them without activating anything (standing).`,
  );
}
