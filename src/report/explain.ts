// `jitaudit explain`: every access path of one person (or into one account), for a terminal, in
// words a non-expert can follow — how the access arises, which controls guard it, and how long a
// "just-in-time" activation really lasts, term by term, with where each number came from.
import type { AccessPathDetail, ResourceItem } from '../analyze/types.js';
import { TERM_ORDER } from '../analyze/window.js';
import { isoToSeconds, isoToWords } from '../util/duration.js';
import { inputError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { printable } from '../util/printable.js';
import type { Snapshot } from '../model/snapshot-schema.js';
import type { AuditResult } from './audit-result.js';
import { PathFactIndex } from './path-facts.js';
import { provenanceWords, termPhrase, termValueWords, TERMS, totalWords } from './window-words.js';
import { compareStrings as cmp } from '../util/compare.js';

export interface ExplainQuery {
  user?: string;
  account?: string;
  permissionSet?: string;
}

const p = (text: string | null | undefined) => printable(text ?? '—');
const dateTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const yes = (b: boolean) => (b ? 'yes' : 'no');

function how(path: AccessPathDetail): string {
  const group = path.group ? `"${p(path.group.name)}"` : '';
  switch (path.kind) {
    case 'pim-eligible':
      return `just-in-time: eligible member of Entra group ${group} through PIM for Groups; no access until activated`;
    case 'pim-active':
      return `standing: active PIM assignment (not an activation) to Entra group ${group}${path.activeUntil ? `, until ${dateTime(path.activeUntil)}` : ', with no end date'}`;
    case 'direct-member':
      return `standing: plain member of Entra group ${group}${path.groupDetail?.pimManaged ? '' : ', which is not under PIM'}; access at any time, nothing to activate`;
    case 'owner':
      return path.standing
        ? `standing: owner of Entra group ${group}; an owner can add anyone to the group, themselves included`
        : `just-in-time: PIM-eligible owner of Entra group ${group}; once activated, an owner can add anyone to the group`;
    case 'direct-assignment':
      return 'standing: assigned directly to the user in IAM Identity Center, bypassing Entra groups and PIM';
    case 'unmanaged-ic':
      return `standing: ${path.group ? `member of Identity Center group ${group}` : 'Identity Center user'} with no Entra source; nobody in Entra manages or reviews it`;
  }
}

function controls(path: AccessPathDetail): string[] {
  const c = path.controls;
  if (!c) return [path.standing ? 'none: nothing is asked when this access is used (no PIM activation)' : 'unknown: the PIM policy was not collected'];
  if (path.standing) {
    return [
      `none at use time: standing access needs no activation`,
      `assigning it: ${c.activeAssignmentExpirationRequired ? `must end within ${c.activeAssignmentMaximum ? isoToWords(c.activeAssignmentMaximum) : 'a limit'}` : 'may be permanent'}; MFA ${yes(c.mfaOnActiveAssignment)}, justification ${yes(c.justificationOnActiveAssignment)}`,
    ];
  }
  return [
    `to activate: MFA ${yes(c.mfaOnActivation || c.authenticationContext !== null)}${c.authenticationContext ? ` (authentication context ${p(c.authenticationContext)})` : ''}, approval ${c.approvalRequired ? `yes (${c.approverCount} approver${c.approverCount === 1 ? '' : 's'})` : 'no'}, justification ${yes(c.justificationOnActivation)}, ticket ${yes(c.ticketOnActivation)}`,
    `activation lasts at most ${c.activationMaximum ? isoToWords(c.activationMaximum) : 'an unknown time'}`,
  ];
}

function limitOf(result: AuditResult, path: AccessPathDetail): { seconds: number; iso: string } | null {
  const rule = result.rules.find((r) => r.def.id === 'effective-window-too-long');
  const iso = rule?.params.maxWindow;
  const envs = rule && Array.isArray(rule.params.environments) ? rule.params.environments.map(String) : [];
  if (typeof iso !== 'string' || !envs.includes(path.account.environment)) return null;
  const seconds = isoToSeconds(iso);
  return seconds === null ? null : { seconds, iso };
}

function windowLines(result: AuditResult, path: AccessPathDetail): string[] {
  const w = path.window;
  if (!w) return ['none to compute: standing access lasts until someone removes it'];
  const clauses = TERM_ORDER.map((n, i) => `${i === 0 ? '  ' : '+ '}${p(termPhrase(n, w.terms[n]))}`);
  const limit = limitOf(result, path);
  let verdict = '';
  if (limit) {
    const total = w.total ? isoToSeconds(w.total) : null;
    if (w.unbounded) verdict = ` (policy allows ${isoToWords(limit.iso)}: exceeded, without limit)`;
    else if (total !== null) verdict = ` (policy allows ${isoToWords(limit.iso)}: ${total > limit.seconds ? 'EXCEEDED' : 'within'})`;
  }
  const width = Math.max(...TERM_ORDER.map((n) => termValueWords(w.terms[n]).length));
  return [
    ...clauses,
    `= ${totalWords(w)}${verdict}`,
    'where the numbers come from:',
    ...TERM_ORDER.map((n) => `  ${TERMS[n].letter} ${termValueWords(w.terms[n]).padEnd(width)}  ${p(provenanceWords(w.terms[n]))}`),
  ];
}

function block(result: AuditResult, facts: PathFactIndex, path: AccessPathDetail, position: number, n: number, by: 'user' | 'account'): string[] {
  const target = `${p(path.account.name)} (${path.account.id}, ${p(path.account.environment)}) / ${p(path.permissionSet.name)} [${p(path.permissionSet.tier)}]`;
  const who = p(path.principal.upn ?? path.principal.identityCenterUserId);
  const title = by === 'user' ? target : `${who} → ${target}`;
  const f = facts.facts(path);
  const found = facts.findings(position);
  const field = (label: string, lines: string[]) => lines.map((l, i) => `   ${(i === 0 ? `${label}:` : '').padEnd(10)} ${l}`);
  const status: string[] = [];
  if (!path.standing) {
    status.push(path.activeNow ? `ACTIVE NOW${path.activeUntil ? ` until ${dateTime(path.activeUntil)}` : ''}` : 'not active at the snapshot');
    if (path.schedule) status.push(`eligible ${path.schedule.end ? `until ${dateTime(path.schedule.end)}` : 'with no end date'}`);
  }
  if (path.controls) {
    status.push(
      f.lastActivation ? `last activated ${dateTime(f.lastActivation)}` : f.activationsKnown ? 'no activation on record' : 'activation history not collected',
    );
  }
  status.push(f.lastUsed ? `last used ${dateTime(f.lastUsed)}` : f.usageKnown ? 'no use on record' : 'use unknown (CloudTrail not collected)');
  const findingLines = found.length
    ? found.map((x) => `${x.severity.toUpperCase()}${x.status === 'waived' ? ' (waived)' : ''} ${x.ruleId} on ${p(x.object)}: ${p(x.message)}`)
    : ['none'];
  const takeovers = facts.takeovers(position);
  if (takeovers) findingLines.push(`and ${takeovers} ${takeovers === 1 ? 'finding' : 'findings'} about someone who can take this path over without PIM (report.html: Who can get around the JIT)`);
  return [
    `${n}. ${title}`,
    ...field('how', [how(path)]),
    ...field('controls', controls(path)),
    ...field('window', windowLines(result, path)),
    ...field('status', [status.join('; ')]),
    ...field('findings', findingLines),
    '',
  ];
}

/** `snapshot`: the whole of it (runAudit's onSnapshot), for the people, accounts and permission sets it names. */
export function explain(result: AuditResult, snapshot: Snapshot, query: ExplainQuery): string {
  if (!query.user === !query.account) throw inputError('explain', null, 'give exactly one of --user UPN or --account ID');
  const s = snapshot;
  let paths = result.analysis.accessPaths;
  const lines: string[] = [];
  const as = `as of ${dateTime(result.analysis.now)} (snapshot ${p(result.snapshot.displayPath)})`;
  let heading: string;
  if (query.user) {
    const wanted = query.user.toLowerCase();
    const entra = (s.entra.users.data ?? []).find((u) => u.userPrincipalName.toLowerCase() === wanted);
    const ic = (s.aws.identityStore.data?.users ?? []).find((u) => u.userName.toLowerCase() === wanted);
    if (!entra && !ic && !paths.some((x) => x.principal.upn?.toLowerCase() === wanted) && !controlPlaneOf(result, wanted, null).length) {
      const upns = [...(s.entra.users.data ?? []).map((u) => u.userPrincipalName), ...(s.aws.identityStore.data?.users ?? []).map((u) => u.userName)];
      throw inputError('explain', '--user', `no user "${query.user}" in the snapshot (give the user principal name, e.g. alice@example.com)${didYouMean(query.user, upns)}`);
    }
    paths = paths.filter((x) => x.principal.upn?.toLowerCase() === wanted);
    const name = entra?.displayName ?? ic?.displayName ?? null;
    heading = `${p(entra?.userPrincipalName ?? ic?.userName ?? query.user)}${name ? ` (${p(name)})` : ''}`;
    if (entra?.accountEnabled === false) heading += ' — account DISABLED in Entra';
  } else {
    const account = (s.aws.organization.data?.accounts ?? []).find((a) => a.id === query.account || a.name === query.account);
    if (!account && !paths.some((x) => x.account.id === query.account)) {
      const accounts = (s.aws.organization.data?.accounts ?? []).flatMap((a) => [a.id, a.name]);
      throw inputError('explain', '--account', `no account "${query.account}" in the snapshot (give the 12-digit account id or the account name)${didYouMean(query.account!, accounts)}`);
    }
    const id = account?.id ?? query.account!;
    paths = paths.filter((x) => x.account.id === id);
    heading = `account ${p(account?.name ?? id)} (${id}${paths[0] ? `, ${p(paths[0].account.environment)}` : ''})`;
  }
  if (query.permissionSet) {
    const known = (s.aws.permissionSets.data ?? []).some((ps) => ps.name === query.permissionSet);
    if (!known) {
      const names = (s.aws.permissionSets.data ?? []).map((ps) => ps.name);
      throw inputError('explain', '--permission-set', `no permission set named "${query.permissionSet}" in the snapshot${didYouMean(query.permissionSet, names)}`);
    }
    paths = paths.filter((x) => x.permissionSet.name === query.permissionSet);
  }
  const toSet = query.permissionSet ? ` with permission set ${p(query.permissionSet)}` : '';
  const standing = paths.filter((x) => x.standing).length;
  // The ways this person can get around the JIT: whatever paths they have themselves.
  const entraUserId = query.user ? ((s.entra.users.data ?? []).find((u) => u.userPrincipalName.toLowerCase() === query.user!.toLowerCase())?.id ?? null) : null;
  const around = query.user ? controlPlaneLines(result, query.user.toLowerCase(), entraUserId) : [];
  if (!paths.length) {
    lines.push(`${heading}: no access path${toSet} ${as}.`);
    if (around.length) lines.push('', ...around);
    return `${lines.join('\n')}\n`;
  }
  const pathsWord = `${paths.length} access path${paths.length === 1 ? '' : 's'}`;
  lines.push(
    query.user ? `${heading} can reach AWS${toSet} by ${pathsWord} ${as}:` : `${heading}: ${pathsWord} into it${toSet} ${as}:`,
    `  ${paths.length - standing} just-in-time (need a PIM activation first), ${standing} standing (usable at any time).`,
    '',
  );
  const facts = new PathFactIndex(result);
  // Positions: a path's findings are the findings whose impact lists its position (path-facts.ts).
  const shown = new Set(paths);
  const position = new Map<AccessPathDetail, number>();
  result.analysis.accessPaths.forEach((x, i) => shown.has(x) && position.set(x, i));
  // JIT first (the windows are the point), then standing; within each, stable by account, set, id.
  const ordered = [...paths].sort(
    (a, b) =>
      Number(a.standing) - Number(b.standing) ||
      (query.user ? cmp(a.account.name, b.account.name) : cmp(a.principal.upn ?? '', b.principal.upn ?? '')) ||
      cmp(a.permissionSet.name, b.permissionSet.name) ||
      (a.id < b.id ? -1 : 1),
  );
  ordered.forEach((path, i) => lines.push(...block(result, facts, path, position.get(path)!, i + 1, query.user ? 'user' : 'account')));
  if (around.length) lines.push(...around, '');
  lines.push(
    'The window of a just-in-time path: A the PIM activation maximum + L until the removal reaches Identity Center (SCIM)',
    '+ P an access-portal session started before that + S credentials fetched at the last moment. "assumed" values are',
    'defaults no API could confirm: declare them in the config.',
  );
  return `${lines.join('\n')}\n`;
}

/** The controlPlane items (src/analyze/control-plane.ts) a user holds, by userPrincipalName (lower case). */
interface ControlPlaneData {
  kind: string;
  principal: { upn: string | null };
  how: string;
  scope: string;
  standing: boolean;
  activeNow: boolean;
  controls: { approvalRequired: boolean; mfaOnActivation: boolean; authenticationContext: string | null; activationMaximum: string | null } | null;
  window: AccessPathDetail['window'];
  capabilities: string[];
  reachSummary: string;
  reachesAdminInProd: boolean;
}

/** An accessPackages item (src/analyze/access-packages.ts): a policy that names requestors. */
interface AccessPackageData {
  kind: 'access-package';
  how: string;
  accessPackage: { requestorUserIds: string[]; approvalStages: number; approvers: string[] };
  approvalRequired: boolean | null;
  accessLasts: string;
  reviewsEnabled: boolean | null;
  window: AccessPathDetail['window'];
  capabilities: string[];
  reachSummary: string;
  reachesAdminInProd: boolean;
}

/** A catalogRoles item (src/analyze/access-packages.ts): an entitlement-management role on the packages' catalog. */
interface CatalogRoleData {
  kind: 'catalog-role';
  how: string;
  power: string;
  standing: boolean;
  approvalRequired: boolean | null;
  capabilities: string[];
  reachSummary: string;
  reachesAdminInProd: boolean;
}

/**
 * The controlPlane, catalogRoles and awsControlPlane items of one user: those they hold, and the accessPackages items
 * whose policy names them one by one (requestorUserIds). Requestors named through a group are not expanded (the group's
 * members are not collected), nor "all member users": those packages are in report.html, not here. A catalog role held
 * by a group is not expanded either.
 */
function controlPlaneOf(result: AuditResult, upn: string, entraUserId: string | null) {
  const r = result.analysis.resources;
  const packages = entraUserId === null ? [] : (r.accessPackages ?? []).filter((item) => (item.data as unknown as AccessPackageData).accessPackage.requestorUserIds.includes(entraUserId));
  const holds = (item: ResourceItem) => (item.data as unknown as ControlPlaneData).principal.upn?.toLowerCase() === upn;
  // A catalog role names its holder in the item's ref (users only: a group or an app has no upn).
  const holdsRole = (item: ResourceItem) => item.ref.principal?.upn?.toLowerCase() === upn;
  return [...(r.controlPlane ?? []).filter(holds), ...packages, ...(r.catalogRoles ?? []).filter(holdsRole), ...(r.awsControlPlane ?? []).filter(holds)];
}

/** An awsControlPlane item (src/analyze/aws-control-plane.ts) held through a permission set. */
interface AwsControlPlaneData {
  kind: 'aws-control-plane';
  how: string;
  standing: boolean;
  window: AccessPathDetail['window'];
  canChange: string;
  route: string | null;
  unknownPolicies: string[];
  limits: string;
  reachSummary: string;
}

/** "Ways around the JIT" for one person: each item, how fast, what it can change and take over, and its findings. */
function controlPlaneLines(result: AuditResult, upn: string, entraUserId: string | null): string[] {
  const items = controlPlaneOf(result, upn, entraUserId);
  if (!items.length) return [];
  const out = [`Ways around the JIT (${items.length}): they can give themselves AWS access without the groups' PIM:`];
  items.forEach((item, i) => {
    const found = result.findings.filter((f) => f.ref.type === item.ref.type && f.ref.id === item.ref.id).map((f) => f.finding);
    const field = (label: string, text: string) => `   ${`${label}:`.padEnd(10)} ${text}`;
    const findings = field('findings', found.length ? found.map((f) => `${f.severity.toUpperCase()}${f.status === 'waived' ? ' (waived)' : ''} ${f.ruleId}`).join('; ') : 'none');
    if ((item.data as { kind?: string }).kind === 'aws-control-plane') {
      const a = item.data as unknown as AwsControlPlaneData;
      out.push(
        `${i + 1}. ${p(a.how)}`,
        field('when', a.standing ? 'at any time (standing: a standing path to the permission set)' : `after one activation of their path to it; window ${a.window ? p(totalWords(a.window)) : 'unknown'}`),
        field('changes', a.canChange === 'yes' ? `Identity Center: ${p(a.route ?? '')}` : `unknown (not evaluated: ${p(a.unknownPolicies.join('; '))})`),
        field('limits', p(a.limits)),
        field('reach', p(a.reachSummary)),
        findings,
      );
      return;
    }
    if ((item.data as { kind?: string }).kind === 'access-package') {
      const d = item.data as unknown as AccessPackageData;
      const a = d.accessPackage;
      out.push(
        `${i + 1}. named by the policy: ${p(d.how)}`,
        field('when', `${d.approvalRequired === true ? `after approval (${p(a.approvers.join('; ') || `${a.approvalStages} stage(s)`)})` : 'at any time (self-service, no approval)'}; access lasts ${p(d.accessLasts)}; reviews ${d.reviewsEnabled === null ? 'not said' : yes(d.reviewsEnabled)}${d.window ? `; window ${p(totalWords(d.window))}` : ''}`),
        field('changes', d.capabilities.join(', ')),
        field('reach', `${p(d.reachSummary)}${d.reachesAdminInProd ? '; admin in production' : ''}`),
        findings,
      );
      return;
    }
    if ((item.data as { kind?: string }).kind === 'catalog-role') {
      const d = item.data as unknown as CatalogRoleData;
      out.push(
        `${i + 1}. ${p(d.how)}`,
        field(
          'when',
          d.standing
            ? `at any time (standing: no PIM, ${d.approvalRequired === null ? 'approval unknown' : 'no one approves'})`
            : 'after approval (no PIM; every policy of the packages requires an approver)',
        ),
        field('changes', `${d.capabilities.join(', ')}: ${p(d.power)}`),
        field('reach', `${p(d.reachSummary)}${d.reachesAdminInProd ? '; admin in production' : ''}`),
        findings,
      );
      return;
    }
    const d = item.data as unknown as ControlPlaneData;
    const c = d.controls;
    const speed = d.standing
      ? 'at any time (standing: nothing to activate)'
      : `after one activation${d.activeNow ? ' (ACTIVE NOW)' : ''}: ${
          c
            ? `approval ${yes(c.approvalRequired)}, MFA ${yes(c.mfaOnActivation || c.authenticationContext !== null)}, activation up to ${c.activationMaximum ? isoToWords(c.activationMaximum) : 'an unknown time'}`
            : 'PIM policy not read'
        }; window ${d.window ? p(totalWords(d.window)) : 'unknown'}`;
    out.push(
      `${i + 1}. ${p(d.how)} (scope ${p(d.scope)})`,
      field('when', speed),
      field('changes', d.capabilities.join(', ')),
      field('reach', `${p(d.reachSummary)}${d.reachesAdminInProd ? '; admin in production' : ''}`),
      findings,
    );
  });
  return out;
}
