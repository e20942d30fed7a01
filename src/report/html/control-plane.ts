// "Who can get around the JIT": the controlPlane collection (src/analyze/control-plane.ts), with the
// accessPackages, awsControlPlane and resourcePolicies collections below it — who can
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

/** The fields of an accessPackages item (src/analyze/access-packages.ts) the section shows. */
interface PackageItem {
  kind: 'access-package';
  how: string;
  requestors: string;
  broadRequestors: boolean;
  approvalRequired: boolean | null;
  accessLasts: string;
  reviewsEnabled: boolean | null;
  window: EffectiveWindow | null;
  accessPackage: { displayName: string | null; id: string; policyName: string | null; isHidden: boolean | null; approvers: string[]; assignmentCount: number; packageAssignmentCount: number };
  reachSummary: string;
  reachKnown: boolean;
  reachesAdminInProd: boolean;
  prodAccountCount: number;
  pathCount: number;
}

/** The fields of a catalogRoles item (src/analyze/access-packages.ts) the section shows. */
interface CatalogRoleItem {
  kind: 'catalog-role';
  holder: string;
  how: string;
  power: string;
  standing: boolean;
  reachSummary: string;
  reachKnown: boolean;
  reachesAdminInProd: boolean;
  pathCount: number;
}

/** Holders of entitlement-management roles over the packages: standing first, then the widest reach. */
function catalogRolesTable(items: CatalogRoleItem[]): Html {
  const sorted = [...items]
    .sort(
      (a, b) =>
        Number(b.standing) - Number(a.standing) ||
        Number(b.reachesAdminInProd || !b.reachKnown) - Number(a.reachesAdminInProd || !a.reachKnown) ||
        b.pathCount - a.pathCount ||
        (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : a.how < b.how ? -1 : a.how > b.how ? 1 : 0),
    )
    .slice(0, ROWS);
  const rows = sorted.map(
    (i) =>
      html`<tr><th scope="row">${i.holder}</th><td>${i.how}<br><span class="aid">${i.power}</span></td><td>${i.standing ? html`<strong>standing</strong>: no one approves` : 'an approver decides'}</td><td>${i.reachKnown ? '' : html`<strong>unknown</strong>: `}${i.reachSummary}${i.reachesAdminInProd ? html`<br><strong>admin in production</strong>` : ''}</td></tr>`,
  );
  return html`<h3>Who manages those access packages</h3><p>Catalog owners and access package managers can change a package's policies; access package assignment managers can assign the package to anyone, themselves included.</p><div class="scroll"><table class="paths control-plane"><caption class="sr-only">Entitlement-management role holders over the packages that hand out the AWS app's groups</caption><thead><tr><th scope="col">Holder</th><th scope="col">Role</th><th scope="col">How fast</th><th scope="col">Can take over</th></tr></thead><tbody>${rows}</tbody></table></div>${
    items.length > sorted.length ? html`<p class="cut" role="note">Showing ${sorted.length} of ${items.length} holders. Their findings are in report.json.</p>` : ''
  }`;
}

/** Access packages that let people add themselves to the app's groups: no approval first, then broad requestors, widest reach. */
function packagesTable(items: PackageItem[]): Html {
  const name = (i: PackageItem) => `${i.accessPackage.displayName ?? i.accessPackage.id}\u0000${i.accessPackage.policyName ?? ''}`;
  const sorted = [...items]
    .sort(
      (a, b) =>
        Number(b.approvalRequired !== true) - Number(a.approvalRequired !== true) ||
        Number(b.broadRequestors) - Number(a.broadRequestors) ||
        Number(b.reachesAdminInProd || !b.reachKnown) - Number(a.reachesAdminInProd || !a.reachKnown) ||
        b.pathCount - a.pathCount ||
        (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0),
    )
    .slice(0, ROWS);
  const rows = sorted.map((i) => {
    const approval = i.approvalRequired === true ? html`yes: ${i.accessPackage.approvers.join('; ')}` : i.approvalRequired === false ? html`<strong>no</strong>` : html`<strong>not said</strong>`;
    return html`<tr><th scope="row">${i.accessPackage.displayName ?? i.accessPackage.id}<br><span class="aid">policy ${i.accessPackage.policyName ?? '(no name)'}${i.accessPackage.isHidden ? ', hidden' : ''}</span></th><td>${i.broadRequestors ? html`<strong>${i.requestors}</strong>` : i.requestors}</td><td>approval ${approval}<br>lasts ${i.accessLasts}${i.window ? html`; window ${totalWords(i.window)}` : ''}<br>reviews ${i.reviewsEnabled === null ? 'not said' : i.reviewsEnabled ? 'on' : html`<strong>off</strong>`}</td><td>${i.how}<br><span class="aid">${plural(i.accessPackage.assignmentCount, 'current assignment')} through this policy</span></td><td>${i.reachKnown ? '' : html`<strong>unknown</strong>: `}${i.reachSummary}${i.reachesAdminInProd ? html`<br><strong>admin in production</strong>` : ''}</td></tr>`;
  });
  return html`<h3>Access packages that hand out the AWS app's groups</h3><p>Policies that let people request a package for themselves: the group membership (or ownership) they get is outside PIM. Who holds a package now is a member of the group already: those people are among its access paths, not here.</p><div class="scroll"><table class="paths control-plane"><caption class="sr-only">Access-package policies that let people add themselves to the AWS app's groups</caption><thead><tr><th scope="col">Package</th><th scope="col">Who may request</th><th scope="col">Approval, duration, reviews</th><th scope="col">Hands out</th><th scope="col">Can take over</th></tr></thead><tbody>${rows}</tbody></table></div>${
    items.length > sorted.length ? html`<p class="cut" role="note">Showing ${sorted.length} of ${items.length} policies. Their findings are in report.json.</p>` : ''
  }`;
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

/** The fields of an awsControlPlane item the section shows. */
interface AwsItem {
  holder: string;
  how: string;
  holderVia: string;
  standing: boolean;
  window: EffectiveWindow | null;
  canChange: string;
  route: string | null;
  unknownPolicies: string[];
  limits: string;
  reachSummary: string;
}

/** The fields of a resourcePolicies item the section shows. */
interface PolicyItem {
  holder: string;
  accountName: string;
  environment: string;
  sid: string | null;
  principals: string[];
  actions: string[];
  wildcard: boolean;
  matchedPermissionSets: string[];
  nonProdMatches: string[];
  lowerTierMatches: string[];
  reachSummary: string;
}

const byHolder = (a: { holder: string; how?: string }, b: { holder: string; how?: string }) =>
  a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : (a.how ?? '') < (b.how ?? '') ? -1 : (a.how ?? '') > (b.how ?? '') ? 1 : 0;

/** The AWS side: IAM principals that can change Identity Center, and resource policies that let its roles in. */
function awsSide(result: AuditResult): Html | '' {
  const aws = result.snapshot.model.aws as unknown as Record<string, { provenance: { status: string } } | undefined>;
  const parts: Html[] = [];
  if (aws.controlPlane) {
    const items = (result.analysis.resources.awsControlPlane ?? []).map((r) => r.data as unknown as AwsItem);
    const sorted = [...items].sort((a, b) => Number(b.standing) - Number(a.standing) || byHolder(a, b)).slice(0, ROWS);
    const rows = sorted.map(
      (i) =>
        html`<tr><th scope="row">${i.holder}<br><span class="aid">${i.holderVia}</span></th><td>${i.how}</td><td>${i.standing ? html`<strong>at any time</strong> (standing)` : html`after one activation; window ${i.window ? totalWords(i.window) : 'unknown'}`}</td><td>${i.canChange === 'yes' ? i.route : html`<strong>unknown</strong>: not evaluated ${i.unknownPolicies.join('; ')}`}<br><span class="aid">${i.limits}</span></td><td>${i.reachSummary}</td></tr>`,
    );
    parts.push(
      aws.controlPlane.provenance.status === 'missing'
        ? html`<p class="cut" role="note"><strong>Incomplete</strong>: aws.controlPlane could not be read.</p>`
        : items.length
          ? html`<h3>IAM principals that can change Identity Center</h3><div class="scroll"><table class="paths control-plane"><caption class="sr-only">IAM principals of the Identity Center account that can change it, and who holds them</caption><thead><tr><th scope="col">Holder</th><th scope="col">How</th><th scope="col">How fast</th><th scope="col">Can change Identity Center by</th><th scope="col">Can take over</th></tr></thead><tbody>${rows}</tbody></table></div>`
          : html`<p>No IAM principal of the management or delegated-administrator account can change Identity Center.</p>`,
    );
  }
  if (aws.resourcePolicies) {
    const items = (result.analysis.resources.resourcePolicies ?? []).map((r) => r.data as unknown as PolicyItem);
    const sorted = [...items].sort(byHolder).slice(0, ROWS);
    const rows = sorted.map(
      (i) =>
        html`<tr><th scope="row">${i.holder}<br><span class="aid">${i.accountName} (${i.environment})${i.sid ? html`, statement ${i.sid}` : ''}</span></th><td>${i.principals.join('; ')}<br><span class="aid">${i.actions.join(', ')}</span></td><td>${i.wildcard ? html`<strong>every permission set's role</strong>` : i.matchedPermissionSets.join(', ')}${i.nonProdMatches.length ? html`<br><strong>non-production</strong>: ${i.nonProdMatches.join('; ')}` : ''}${i.lowerTierMatches.length ? html`<br><strong>lower tier</strong>: ${i.lowerTierMatches.join('; ')}` : ''}</td><td>${i.reachSummary}</td></tr>`,
    );
    parts.push(
      aws.resourcePolicies.provenance.status === 'missing'
        ? html`<p class="cut" role="note"><strong>Incomplete</strong>: aws.resourcePolicies could not be read.</p>`
        : items.length
          ? html`<h3>Resource policies that let Identity Center roles in</h3><div class="scroll"><table class="paths control-plane"><caption class="sr-only">Lambda and API Gateway policies that let permission-set roles in without an account assignment</caption><thead><tr><th scope="col">Resource</th><th scope="col">Lets in</th><th scope="col">Permission sets</th><th scope="col">Whose holders</th></tr></thead><tbody>${rows}</tbody></table></div>`
          : html`<p>No Lambda or API Gateway policy read lets an Identity Center role in.</p>`,
    );
  }
  return parts.length ? html`${parts}` : '';
}

export function renderControlPlane(result: AuditResult): Html | '' {
  const items = (result.analysis.resources.controlPlane ?? []).map((r) => r.data as unknown as Item);
  const packages = (result.analysis.resources.accessPackages ?? []).map((r) => r.data as unknown as PackageItem);
  const catalogRoles = (result.analysis.resources.catalogRoles ?? []).map((r) => r.data as unknown as CatalogRoleItem);
  const entra = result.snapshot.model.entra as unknown as Record<string, { provenance: { status: string } } | undefined>;
  const sections = ['directoryRoles', 'appOwners', 'workloadIdentities'].filter((s) => entra[s] !== undefined);
  const unread = sections.filter((s) => entra[s]!.provenance.status === 'missing').map((s) => `entra.${s}`);
  const title = 'Who can get around the JIT';
  const packagesPart: Html | '' = !entra.accessPackages
    ? ''
    : entra.accessPackages.provenance.status === 'missing'
      ? html`<p class="cut" role="note"><strong>Incomplete</strong>: entra.accessPackages could not be read (entitlement management needs a Microsoft Entra ID P2 or Governance licence): access packages that hand out the AWS groups are not assessed.</p>`
      : html`${
          packages.length ? packagesTable(packages) : html`<p>No access package lets people add themselves to one of the AWS app's groups.</p>`
        }${catalogRoles.length ? catalogRolesTable(catalogRoles) : ''}`;
  const awsPart = html`${packagesPart}${awsSide(result)}`;
  if (!sections.length) {
    return section('control-plane', title, html`<p>Not assessed: the snapshot has no directory roles, app owners or workload identities (collected by jitaudit collect since they were added).</p>${awsPart}`);
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
  return section('control-plane', title, html`${body}${awsPart}`, intro);
}
