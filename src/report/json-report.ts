// report.json, version 2: the contract users' scripts read (its JSON Schema: report-schema.ts,
// published as schemas/report.schema.json). Nothing that paths share is repeated per path: people,
// groups, accounts, permission sets, windows and grants appear once, in tables, and an access path
// refers to them. A finding names its object and refers to the paths it affects by their positions in
// `accessPaths`. Every Identity Center credential fetch is listed with how the audit judged it.
//
// Layout: indented, except that each entry of a table and each grant, path, finding and credential
// fetch is one compact line: a diff or grep shows one line per entry.
import type { Attribution } from '../analyze/credential-fetches.js';
import { countWhere, firstPathOf, type PathParts } from '../analyze/path-parts.js';
import type { AccessPathDetail } from '../analyze/types.js';
import type { EffectiveWindow } from '../analyze/window.js';
import { principalKey } from '../rules/path-objects.js';
import { SEVERITIES, type Severity } from '../rules/rule-schema.js';
import { isoToSeconds } from '../util/duration.js';
import type { Rendered } from '../util/json-chunks.js';
import { TOOL } from '../util/version.js';
import { mapNumbers } from '../util/map-numbers.js';
import type { AuditResult } from './audit-result.js';
import { frameworkRollup, ruleOutcomes, type RuleOutcome } from './controls.js';
import type { Finding } from '../rules/evaluate.js';

export const REPORT_SCHEMA_VERSION = 2;

/**
 * What a grant is: one person's access through one group (or their direct assignments), whatever it
 * reaches. A path's id is `kind:principal:group:account:permissionSet` (group `-` when there is none):
 * its grant's three fields, then its own two.
 */
export interface ReportGrant {
  kind: AccessPathDetail['kind'];
  standing: boolean;
  principal: string;
  group: string | null;
  /** The eligibility's or assignment's schedule (PIM grants only). */
  schedule?: NonNullable<AccessPathDetail['schedule']>;
  /** When a live activation or an active assignment ends (absent: no end, or not live). */
  activeUntil?: string;
}

export interface ReportWindow extends EffectiveWindow {
  /** The total in seconds, for comparisons (jq, spreadsheets); null when unbounded or unknown. */
  totalSeconds: number | null;
}

/**
 * An impact's paths as report.json writes them: positions in accessPaths, or "all" (every path) or
 * "jit" (every just-in-time path) for a finding about something every such path goes through (sign-in
 * policy, the portal session, the provisioning job): hundreds of thousands of positions otherwise. A
 * control-plane finding (someone who can change the app's groups) whose paths are exactly every path
 * through some groups says so: {"groups": [keys in groups]}. A finding that affects more than half of
 * the paths (someone who can reset most people's passwords) names the rest: {"except": [positions]}.
 * Any of these that several findings share, long, is written once in sharedPaths: {"shared": "s1"}.
 */
export type ReportImpact = Omit<NonNullable<Finding['impact']>, 'paths'> & { paths: readonly number[] | 'all' | 'jit' | { groups: string[] } | { except: number[] } | { shared: string } };

export type ReportFinding = Omit<Finding, 'account' | 'principal' | 'impact'> & { account?: string; principal?: string; impact?: ReportImpact };

/** The tables report.json keeps, built once from the analysis and the findings. */
export function reportTables(result: AuditResult) {
  const principals = new Map<string, object>();
  const groups = new Map<string, object>();
  const accounts = new Map<string, object>();
  const permissionSets = new Map<string, object>();
  const windows = new Map<string, ReportWindow>();
  const windowKeys = new Map<EffectiveWindow, string>();
  const windowByText = new Map<string, string>();
  const grants: ReportGrant[] = [];
  const grantIndex = new Map<string, number>();
  // A path's line is made as it is written, not as an object to stringify: there are hundreds of
  // thousands. Kept until then: its grant's position; the JSON naming its account and permission set
  // (the same for every path to that pair) and its window, by the path's target and window numbers
  // (path-parts.ts).
  const all = result.analysis.accessPaths;
  const parts = result.analysis.pathParts;
  const pathGrant = new Int32Array(all.length);
  const targetText: (string | undefined)[] = new Array<string | undefined>(parts.counts.target);
  const windowText: (string | undefined)[] = new Array<string | undefined>(parts.counts.window);
  /** A grant's line start, made once for all its paths. */
  const grantStart: string[] = [];

  const addPrincipal = (p: AccessPathDetail['principal'], d?: AccessPathDetail['principalDetail']) => {
    const key = principalKey(p);
    if (!principals.has(key)) {
      const { upn, entraUserId, identityCenterUserId } = p;
      principals.set(
        key,
        d
          ? { upn, entraUserId, identityCenterUserId, displayName: d.displayName, enabled: d.enabled, userType: d.userType, mfaRegistered: d.mfaRegistered, identityCenterStatus: d.identityCenterStatus }
          : { upn, entraUserId, identityCenterUserId },
      );
    }
    return key;
  };
  const addAccount = (a: AccessPathDetail['account']) => {
    if (!accounts.has(a.id)) accounts.set(a.id, { name: a.name, environment: a.environment });
    return a.id;
  };
  const windowKey = (w: EffectiveWindow): string => {
    let key = windowKeys.get(w);
    if (key) return key;
    // Paths share window objects; windows equal in every term share a key too.
    const text = JSON.stringify(w);
    key = windowByText.get(text);
    if (!key) {
      key = `w${windowByText.size + 1}`;
      windowByText.set(text, key);
      windows.set(key, { ...w, totalSeconds: w.total === null ? null : isoToSeconds(w.total) });
    }
    key = `,"window":${JSON.stringify(key)}}`;
    windowKeys.set(w, key);
    return key;
  };
  /** The JSON naming a path's account and permission set: made once per target. */
  const target = (p: AccessPathDetail): string => {
    const ps = p.permissionSet;
    if (!permissionSets.has(ps.name)) permissionSets.set(ps.name, { arn: ps.arn, tier: ps.tier, sessionDuration: p.permissionSetDetail.sessionDuration });
    return `,"account":${JSON.stringify(addAccount(p.account))},"permissionSet":${JSON.stringify(ps.name)}`;
  };

  let grant = -1;
  for (let i = 0; i < all.length; i++) {
    // Paths come in id order, so a grant's paths follow each other: it is looked up when it changes.
    // Tables fill in path order (a person, account or window where it is first met).
    if (i === 0 || parts.grant[i] !== parts.grant[i - 1]) {
      const p = all[i]!;
      const who = addPrincipal(p.principal, p.principalDetail);
      if (p.group && !groups.has(p.group.id)) groups.set(p.group.id, { name: p.group.name, ...(p.groupDetail ?? {}) });
      // Unique: a grant's three fields are the first three parts of its paths' ids.
      const grantId = `${p.kind}\u0000${who}\u0000${p.group?.id ?? '-'}`;
      const known = grantIndex.get(grantId);
      if (known !== undefined) grant = known;
      else {
        grant = grants.length;
        grantIndex.set(grantId, grant);
        grantStart.push(`${INDENT}${INDENT}{"grant":${grant}`);
        grants.push({
          kind: p.kind,
          standing: p.standing,
          principal: who,
          group: p.group?.id ?? null,
          ...(p.schedule ? { schedule: p.schedule } : {}),
          ...(p.activeUntil ? { activeUntil: p.activeUntil } : {}),
        });
      }
    }
    pathGrant[i] = grant;
    const t = parts.target[i]!;
    if (targetText[t] === undefined) targetText[t] = target(all[i]!);
    const w = parts.window[i]!;
    if (windowText[w] === undefined) windowText[w] = w === 0 ? ',"window":null}' : windowKey(all[i]!.window!);
  }
  // A path's line in four pieces made once each (its grant's start, its account and permission set,
  // its window, the line's end), joined a thousand lines at a time as they are written.
  const paths: Lines = {
    length: all.length,
    *lines() {
      const last = all.length - 1;
      const pieces: string[] = [];
      for (let i = 0; i <= last; i++) {
        pieces.push(grantStart[pathGrant[i]!]!, targetText[parts.target[i]!]!, windowText[parts.window[i]!]!, i === last ? '\n' : ',\n');
        if (pieces.length >= PATHS_PER_CHUNK * 4 || i === last) {
          yield pieces.join('');
          pieces.length = 0;
        }
      }
    },
  };

  const jit = countWhere(all, parts, 'grant', (p) => !p.standing);
  // Paths are positions without repeats, so a list as long as all (JIT) paths is all of them.
  const whole = (paths: readonly number[]): ReportImpact['paths'] =>
    paths.length === all.length && paths.length > 1 ? 'all' : paths.length === jit && jit > 1 && paths.every((i) => !all[i]!.standing) ? 'jit' : paths;
  // Most of the paths: written as the few it leaves out.
  const shortest = (paths: readonly number[]): ReportImpact['paths'] => (paths.length * 2 > all.length ? { except: complement(paths, all.length) } : paths);
  const scope = (paths: readonly number[]): ReportImpact['paths'] => {
    const named = whole(paths);
    return named !== paths ? named : shortest(paths);
  };
  const groupScope = new GroupScope(all, parts);
  // Every path through some groups: written as the groups, unless the paths it leaves out are fewer
  // to write (someone who can change nearly every group). Decided once per shared list.
  const chosen = new Map<readonly number[], ReportImpact['paths']>();
  const controlPlaneScope = (paths: readonly number[]): ReportImpact['paths'] => {
    const named = whole(paths);
    if (named !== paths) return named;
    let out = chosen.get(paths);
    if (out === undefined) {
      const groupIds = groupScope.of(paths);
      const rest = shortest(paths);
      out = groupIds && (rest === paths || JSON.stringify(groupIds).length <= JSON.stringify(rest).length) ? { groups: groupIds } : rest;
      chosen.set(paths, out);
    }
    return out;
  };
  // A long list of paths that several findings share (every holder of one role reaches the same) is
  // written once, in sharedPaths, and each finding refers to it: {"shared": "s1"}.
  const useCount = new Map<readonly number[], number>();
  for (const { finding } of result.findings) if (finding.impact) useCount.set(finding.impact.paths, (useCount.get(finding.impact.paths) ?? 0) + 1);
  const sharedPaths = new Map<string, ReportImpact['paths']>();
  /** Per list: its key in sharedPaths, or null when it is written in place (decided once per list). */
  const sharedKeys = new Map<readonly number[], string | null>();
  const shared = (paths: readonly number[], written: ReportImpact['paths']): ReportImpact['paths'] => {
    let key = sharedKeys.get(paths);
    if (key === undefined) {
      key = typeof written === 'string' || useCount.get(paths)! < 2 || JSON.stringify(written).length < SHARED_FROM ? null : `s${sharedPaths.size + 1}`;
      if (key) sharedPaths.set(key, written);
      sharedKeys.set(paths, key);
    }
    return key ? { shared: key } : written;
  };
  // In the order of Finding's fields: optional ones only where the finding has them.
  const findings = result.findings.map(
    ({ finding: f, rule }): ReportFinding => ({
      ruleId: f.ruleId,
      severity: f.severity,
      status: f.status,
      object: f.object,
      ...(f.account ? { account: addAccount(f.account) } : {}),
      ...(f.principal ? { principal: addPrincipal(f.principal) } : {}),
      message: f.message,
      ...(f.impact ? { impact: { ...f.impact, paths: shared(f.impact.paths, (GROUP_SCOPED.has(rule.def.resource) ? controlPlaneScope : scope)(f.impact.paths)) } } : {}),
      evidence: f.evidence,
      fingerprint: f.fingerprint,
      ...(f.waiver ? { waiver: f.waiver } : {}),
    }),
  );
  const credentialFetches = reportFetches(result, addPrincipal, addAccount);
  return { principals, groups, accounts, permissionSets, windows, grants, paths, sharedPaths, findings, credentialFetches };
}

/**
 * "Every path through these groups", when a list of paths is exactly that: each path has a group,
 * and the groups it names hold no other path. Linear in the list; holders share lists (every Groups
 * Administrator: one), so each distinct list is looked at once.
 */
class GroupScope {
  /** Per grant (path-parts.ts): its group's number, -1 for none. */
  private readonly groupOf: Int32Array;
  private readonly groupIds: string[] = [];
  /** Per group number: how many paths go through it. */
  private readonly perGroup: Int32Array;
  private readonly mark: Int32Array;
  private round = 0;
  private readonly seen = new Map<readonly number[], string[] | null>();

  constructor(
    all: readonly AccessPathDetail[],
    private readonly parts: PathParts,
  ) {
    const numbers = new Map<string, number>();
    const firstOfGrant = firstPathOf(parts, 'grant');
    this.groupOf = mapNumbers(new Int32Array(firstOfGrant.length), firstOfGrant, (i) => {
      const group = i < 0 ? null : all[i]!.group;
      if (!group) return -1;
      let n = numbers.get(group.id);
      if (n === undefined) {
        numbers.set(group.id, (n = this.groupIds.length));
        this.groupIds.push(group.id);
      }
      return n;
    });
    this.perGroup = new Int32Array(this.groupIds.length);
    for (let i = 0; i < all.length; i++) {
      const g = this.groupOf[parts.grant[i]!]!;
      if (g >= 0) this.perGroup[g]!++;
    }
    this.mark = new Int32Array(this.groupIds.length);
  }

  of(paths: readonly number[]): string[] | null {
    if (paths.length < 2) return null;
    let out = this.seen.get(paths);
    if (out !== undefined) return out;
    const round = ++this.round;
    const groups: number[] = [];
    out = null;
    let grouped = true;
    for (const i of paths) {
      const g = this.groupOf[this.parts.grant[i]!]!;
      if (g < 0) {
        grouped = false;
        break;
      }
      if (this.mark[g] !== round) {
        this.mark[g] = round;
        groups.push(g);
      }
    }
    if (grouped) {
      let total = 0;
      for (const g of groups) total += this.perGroup[g]!;
      if (total === paths.length) out = groups.map((g) => this.groupIds[g]!).sort();
    }
    this.seen.set(paths, out);
    return out;
  }
}

/** A federationEvents item's data, as src/analyze/credential-fetches.ts records it (resource-types.ts documents the fields). */
interface FetchData {
  eventId: string;
  eventTime: string;
  eventName: string;
  accountId: string | null;
  permissionSetName: string | null;
  succeeded: boolean;
  attribution: Attribution;
  attributionProblem: string | null;
  standingAccess: boolean;
  jitAccess: boolean;
  activationHistoryCovered: boolean;
  activation: { requestId: string; start: string; end: string | null; endedBy: string | null } | null;
  refusedRequest: { requestId: string; status: string; start: string; end: string | null } | null;
  judgedAgainst: string;
}

/** One credential fetch as report.json lists it: the person and account by their keys in the tables. */
export type ReportCredentialFetch = Pick<FetchData, 'eventId' | 'eventTime' | 'eventName'> & {
  principal: string;
  account: string | null;
  /** The event's account id when it is not one (a key in accounts is 12 digits). */
  accountNamed?: string;
  permissionSet: string | null;
} & Omit<FetchData, 'eventId' | 'eventTime' | 'eventName' | 'accountId' | 'permissionSetName'>;

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Every Identity Center credential fetch, oldest first (then by event id: the same order whatever the
 * order of the snapshot's events), with the judgement the analysis made of it. The person and the
 * account join their tables as the findings' do.
 */
function reportFetches(
  result: AuditResult,
  addPrincipal: (p: AccessPathDetail['principal']) => string,
  addAccount: (a: AccessPathDetail['account']) => string,
): ReportCredentialFetch[] {
  const items = (result.analysis.resources.federationEvents ?? []).map((item) => ({ item, data: item.data as unknown as FetchData, at: Date.parse((item.data as unknown as FetchData).eventTime) }));
  items.sort((a, b) => a.at - b.at || (a.data.eventId < b.data.eventId ? -1 : a.data.eventId > b.data.eventId ? 1 : 0));
  return items.map(({ item, data: d }) => {
    const account = item.ref.account && ACCOUNT_ID.test(item.ref.account.id) ? addAccount(item.ref.account) : null;
    return {
      eventId: d.eventId,
      eventTime: d.eventTime,
      eventName: d.eventName,
      // The person resolved through the identity store, else as the event names them (the findings' key).
      principal: addPrincipal(item.ref.principal ?? { upn: null, entraUserId: null, identityCenterUserId: null }),
      account,
      ...(account === null && d.accountId !== null ? { accountNamed: d.accountId } : {}),
      permissionSet: d.permissionSetName,
      succeeded: d.succeeded,
      attribution: d.attribution,
      attributionProblem: d.attributionProblem,
      standingAccess: d.standingAccess,
      jitAccess: d.jitAccess,
      activationHistoryCovered: d.activationHistoryCovered,
      activation: d.activation,
      refusedRequest: d.refusedRequest,
      judgedAgainst: d.judgedAgainst,
    };
  });
}

function reportSummary(result: AuditResult, outcomes: RuleOutcome[]) {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else bySeverity[finding.severity]++;
  }
  return {
    bySeverity,
    byRule: Object.fromEntries(outcomes.map((o) => [o.rule.def.id, { open: o.open, waived: o.waived }])),
    waived,
    incomplete: result.analysis.incomplete,
    gate: {
      failOn: result.gate.failOn,
      passed: result.gate.passed,
      failing: result.gate.failing,
      blockingIncomplete: result.gate.blockingIncomplete,
      allowIncomplete: result.gate.allowIncomplete,
    },
    accessPaths: result.analysis.accessPaths.length,
    findings: result.findings.length,
    rules: result.rules.length,
    warnings: result.analysis.warnings,
  };
}

function rulesTable(outcomes: RuleOutcome[]) {
  return Object.fromEntries(
    outcomes.map(({ rule, status, open, waived, missing }) => [
      rule.def.id,
      {
        title: rule.def.title,
        severity: rule.def.severity,
        resource: rule.def.resource,
        ...(rule.def.resource === 'accessPaths' ? { object: rule.object } : {}),
        status,
        open,
        waived,
        missing,
        remediation: rule.def.remediation,
        references: rule.def.references,
      },
    ]),
  );
}

/** A written list of paths at least this long (in characters) is written once when findings share it. */
const SHARED_FROM = 1000;

/** Lists shared by findings (every holder of one role) are turned inside out once. */
const complements = new WeakMap<readonly number[], number[]>();

/** The positions below `n` that an ascending list of positions does not hold. */
function complement(paths: readonly number[], n: number): number[] {
  let out = complements.get(paths);
  if (!out) {
    out = [];
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (k < paths.length && paths[k] === i) k++;
      else out.push(i);
    }
    complements.set(paths, out);
  }
  return out;
}

/** Collections whose items reach every path through some groups: their impact is written as those groups. */
const GROUP_SCOPED: ReadonlySet<string> = new Set(['controlPlane', 'accessPackages', 'catalogRoles']);

const INDENT = '  ';
/** Path lines per piece of text handed to the writer. */
const PATHS_PER_CHUNK = 1000;

/** Lines made as they are written, in pieces: each line indented, and ended with its comma and newline. */
interface Lines {
  length: number;
  lines(): Iterable<string>;
}

/** How a part is laid out: pretty-printed, or an entry a line (`json`: the entries are JSON texts already, as Lines). */
type Part = { key: string; value: unknown } & ({ layout: 'pretty' } | { layout: 'lines'; entries: 'object' | 'array' | 'json' });

/** report.json as the ordered parts of its top object, each laid out as it reads best. */
function reportParts(result: AuditResult): Part[] {
  const t = reportTables(result);
  const outcomes = ruleOutcomes(result);
  const pretty = (key: string, value: unknown): Part => ({ key, value, layout: 'pretty' });
  const lines = (key: string, value: unknown, entries: 'object' | 'array' | 'json'): Part => ({ key, value, layout: 'lines', entries });
  return [
    pretty('schemaVersion', REPORT_SCHEMA_VERSION),
    pretty('tool', { name: TOOL.name, version: TOOL.version }),
    pretty('snapshot', { file: result.snapshot.displayPath, sha256: result.snapshot.sha256, collectedAt: result.analysis.now }),
    pretty('summary', reportSummary(result, outcomes)),
    lines('rules', rulesTable(outcomes), 'object'),
    pretty('controls', frameworkRollup(outcomes)),
    lines('principals', t.principals, 'object'),
    lines('groups', t.groups, 'object'),
    lines('accounts', t.accounts, 'object'),
    lines('permissionSets', t.permissionSets, 'object'),
    lines('windows', t.windows, 'object'),
    lines('grants', t.grants, 'array'),
    lines('accessPaths', t.paths, 'json'),
    lines('sharedPaths', t.sharedPaths, 'object'),
    lines('findings', t.findings, 'array'),
    lines('credentialFetches', t.credentialFetches, 'array'),
  ];
}

function* partText(part: Part, last: boolean): Generator<string> {
  const end = last ? '\n' : ',\n';
  if (part.layout === 'pretty') {
    yield `${INDENT}${JSON.stringify(part.key)}: ${JSON.stringify(part.value, null, 2).replace(/\n/g, `\n${INDENT}`)}${end}`;
    return;
  }
  if (part.entries === 'json') {
    const { length, lines } = part.value as Lines;
    if (!length) {
      yield `${INDENT}${JSON.stringify(part.key)}: []${end}`;
      return;
    }
    yield `${INDENT}${JSON.stringify(part.key)}: [\n`;
    yield* lines();
    yield `${INDENT}]${end}`;
    return;
  }
  const isObject = part.entries === 'object';
  const map = part.value instanceof Map ? (part.value as Map<string, unknown>) : null;
  const keys = map ? [...map.keys()] : isObject ? Object.keys(part.value as object) : null;
  const values = map ? [...map.values()] : isObject ? Object.values(part.value as object) : (part.value as unknown[]);
  const [open, close] = isObject ? ['{', '}'] : ['[', ']'];
  if (!values.length) {
    yield `${INDENT}${JSON.stringify(part.key)}: ${open}${close}${end}`;
    return;
  }
  yield `${INDENT}${JSON.stringify(part.key)}: ${open}\n`;
  const final = values.length - 1;
  for (let i = 0; i <= final; i++) {
    const name = keys ? `${JSON.stringify(keys[i])}: ` : '';
    const text = JSON.stringify(values[i]);
    yield `${INDENT}${INDENT}${name}${text}${i === final ? '\n' : ',\n'}`;
  }
  yield `${INDENT}${close}${end}`;
}

/** report.json's text, piece by piece: the writer encodes the pieces into its buffers as they come. */
function* reportText(parts: Part[]): Generator<string> {
  yield '{\n';
  for (let i = 0; i < parts.length; i++) yield* partText(parts[i]!, i === parts.length - 1);
  yield '}\n';
}

/** report.json, its tables made now: for a caller that reads the text more than once (the evidence pack hashes, counts and writes it). */
export function renderJsonReport(result: AuditResult): Rendered {
  const parts = reportParts(result);
  return () => reportText(parts);
}

/**
 * report.json read once (the audit writes it): its tables are made as it is written and dropped
 * after, not alive while the other reports are made.
 */
export function renderJsonReportWhenWritten(result: AuditResult): Rendered {
  return () => reportText(reportParts(result));
}
