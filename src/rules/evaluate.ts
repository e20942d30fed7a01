// Running the rules over the analysed model: findings, waivers and the gate.
//
// A finding is a root cause: one per object a person would change. A rule over access paths names its
// object (path-object-kinds.ts) and its matches are grouped by it; any other rule's items are objects
// already. Each finding carries its impact (impact.ts): the paths it affects and what they add up to.
import { hash } from 'node:crypto';
import type { AccessPathDetail, Analysis, ResourceItem, ResourceRef } from '../analyze/types.js';
import { waiverEnd } from '../analyze/resources.js';
import type { Config } from '../model/config.js';
import { CLOUD_NAMES, SECTION_PATHS, type Cloud, type SectionPath } from '../model/snapshot-schema.js';
import { inputError } from '../util/errors.js';
import { CelViews, ConditionBudget, OverBudget } from './cel.js';
import { ConditionMemo, PartMemo, PathPartValues } from './condition-memo.js';
import { compareImpact, ImpactCalculator, type Impact } from './impact.js';
import type { CompiledRule } from './load-rules.js';
import { pathObject } from './path-objects.js';
import { OBJECT_PART } from './path-object-kinds.js';
import { SEVERITIES, type Severity } from './rule-schema.js';

export interface Finding {
  ruleId: string;
  severity: Severity;
  status: 'open' | 'waived';
  /** What the finding is about: the thing to change. */
  object: { type: string; id: string; name: string };
  /** The account the object lives in, when it lives in one (an IAM user, an event, a single path). */
  account?: ResourceRef['account'];
  /** The person the object belongs to, when it belongs to one (a grant, a person, an event). */
  principal?: ResourceRef['principal'];
  message: string;
  /** The access paths the finding affects; absent where access paths do not come into it (an IAM user). */
  impact?: Impact;
  evidence: Record<string, unknown>;
  fingerprint: string;
  waiver?: { reason: string; owner: string; expires: string };
}

/** A finding with what the reports need besides the JSON contract: the rule and the snapshot location. */
export interface LocatedFinding {
  finding: Finding;
  rule: CompiledRule;
  ref: ResourceRef;
}

export const severityRank = (s: Severity) => SEVERITIES.length - SEVERITIES.indexOf(s);

/** A waiver's resource pattern, compiled: `test` says whether an id or name matches it. */
export interface WildcardPattern {
  test(value: string): boolean;
}

/**
 * `*` matches any run of characters (/ and : included, as ids need), `?` one; everything else is
 * literal. Matched with the two-pointer glob algorithm, not a regular expression: a pattern such as
 * `*********!` made a backtracking regex run for minutes; this is linear in the pattern times the
 * value at worst, whatever the pattern.
 */
export function wildcardPattern(pattern: string): WildcardPattern {
  // A run of `*` means what one does.
  const p = pattern.replace(/\*{2,}/g, '*');
  if (!/[*?]/.test(p)) return { test: (value) => value === p };
  return { test: (value) => globMatch(p, value) };
}

function globMatch(p: string, s: string): boolean {
  let i = 0; // in s
  let j = 0; // in p
  // Where the last `*` was, and where in s it started matching: a mismatch retries from there, one character further.
  let star = -1;
  let from = 0;
  while (i < s.length) {
    if (j < p.length && (p.charCodeAt(j) === 63 /* ? */ || (p.charCodeAt(j) !== 42 && p.charCodeAt(j) === s.charCodeAt(i)))) {
      i++;
      j++;
    } else if (j < p.length && p.charCodeAt(j) === 42 /* * */) {
      star = j++;
      from = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++from;
    } else {
      return false;
    }
  }
  while (j < p.length && p.charCodeAt(j) === 42) j++;
  return j === p.length;
}

/** Rule + object, nothing else: an alert keeps its fingerprint while the object's impact changes. */
export function fingerprint(ruleId: string, object: { type: string; id: string }): string {
  return hash('sha256', `${ruleId}\u0000${object.type}\u0000${object.id}`, 'hex').slice(0, 32);
}

type ActiveWaiver = { waiver: Config['waivers'][number]; pattern: WildcardPattern };

/** The waivers in force at the snapshot's time, by rule. */
function activeWaivers(config: Config, nowMs: number): Map<string, ActiveWaiver[]> {
  const byRule = new Map<string, ActiveWaiver[]>();
  for (const w of config.waivers) {
    if (Date.parse(waiverEnd(w.expires)) < nowMs) continue;
    const list = byRule.get(w.rule) ?? [];
    list.push({ waiver: w, pattern: wildcardPattern(w.resource) });
    byRule.set(w.rule, list);
  }
  return byRule;
}

/**
 * The waiver of a finding: one naming its object (id or name); else, for a finding about access
 * paths, one naming every one of its paths by id — how waivers were written when findings were per
 * path, and they keep working for a finding whose paths they all name.
 */
function waiverOf(waivers: ActiveWaiver[] | undefined, object: ResourceRef, paths: readonly number[] | null, all: readonly AccessPathDetail[]) {
  if (!waivers) return undefined;
  const byObject = waivers.find(({ pattern }) => pattern.test(object.id) || pattern.test(object.name));
  if (byObject || !paths?.length) return byObject?.waiver;
  return waivers.find(({ pattern }) => paths.every((i) => pattern.test(all[i]!.id)))?.waiver;
}

/** A rule's remembered results over a collection (condition-memo.ts). */
interface Memo {
  recall(data: Record<string, unknown>, index: number): boolean | undefined;
  remember(result: boolean): void;
}

/** What PartMemo.recall is given for a path: it reads the path's part numbers, not its data. */
const NO_DATA: Record<string, unknown> = Object.freeze({});

/** The matches of one rule over access paths that name one object. */
interface Group {
  ref: ResourceRef;
  /** The first matching path: what the message and evidence read (their fields are the object's). */
  data: Record<string, unknown>;
  paths: number[];
}

export function evaluateRules(rules: CompiledRule[], analysis: Analysis, config: Config): LocatedFinding[] {
  const now = new Date(analysis.now);
  const waivers = activeWaivers(config, now.getTime());
  const impacts = new ImpactCalculator(analysis.accessPaths, analysis.pathParts);
  const out: LocatedFinding[] = [];
  // Item by item, every rule of a collection (access paths: rule by rule); a CEL view of the item is
  // made only when a rule meets values it has not seen (condition-memo.ts).
  const byResource = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const list = byResource.get(rule.def.resource);
    if (list) list.push(rule);
    else byResource.set(rule.def.resource, [rule]);
  }
  for (const [resource, collectionRules] of byResource) {
    const items: ResourceItem[] = analysis.resources[resource] ?? [];
    const onPaths = resource === 'accessPaths';
    const { durations, timestamps } = collectionRules[0]!.type;
    const views = new CelViews(durations, timestamps);
    // What CEL sees of an item: only the fields its rules read, when every rule's reads are known.
    const fieldsRead = collectionRules.every((rule) => rule.reads) ? new Set(collectionRules.flatMap((rule) => rule.reads!.map((chain) => chain[0]!))) : undefined;
    // Access paths: keyed by what each rule reads of a path's grant, target and window, where it can be.
    const partValues = onPaths ? new PathPartValues(analysis.pathParts, (i) => items[i]!.data, collectionRules.map((rule) => rule.reads)) : null;
    const memos: Memo[] = collectionRules.map((rule) => (partValues ? PartMemo.for(rule.reads, partValues) : null) ?? new ConditionMemo(rule.reads));
    const budgets = collectionRules.map(() => new ConditionBudget());
    if (onPaths) {
      // Rule by rule: a path's result is a few typed-array reads (PartMemo), and 338,000 paths times
      // a dozen rules made the loop's own work per item and rule the larger cost.
      const paths = { analysis, items, views, fieldsRead, now };
      collectionRules.forEach((rule, r) => {
        for (const g of pathRuleMatches(rule, memos[r]!, budgets[r]!, paths)) {
          out.push(finding(rule, g.ref, g.data, impacts.impact(g.paths), waiverOf(waivers.get(rule.def.id), g.ref, g.paths, analysis.accessPaths)));
        }
      });
      continue;
    }
    for (let index = 0; index < items.length; index++) {
      const item = items[index]!;
      const data = item.data;
      // Made only when a rule meets an input it has not seen.
      let view: Record<string, unknown> | undefined;
      for (let r = 0; r < collectionRules.length; r++) {
        const rule = collectionRules[r]!;
        const memo = memos[r]!;
        let fired = memo.recall(data, index);
        if (fired === undefined) {
          fired = evaluateOn(rule, budgets[r]!, item, (view ??= views.view(data, fieldsRead)), now);
          memo.remember(fired);
        }
        if (fired) out.push(finding(rule, item.ref, data, item.paths ? impacts.impact(item.paths) : null, waiverOf(waivers.get(rule.def.id), item.ref, null, analysis.accessPaths)));
      }
    }
  }
  return out.sort(compareFindings);
}

function finding(
  rule: CompiledRule,
  ref: ResourceRef,
  data: Record<string, unknown>,
  impact: Impact | null,
  waiver: ActiveWaiver['waiver'] | undefined,
): LocatedFinding {
  const object = { type: ref.type, id: ref.id, name: ref.name };
  const finding: Finding = {
    ruleId: rule.def.id,
    severity: rule.def.severity,
    status: waiver ? 'waived' : 'open',
    object,
    ...(ref.account ? { account: ref.account } : {}),
    ...(ref.principal ? { principal: ref.principal } : {}),
    message: rule.message({ resource: data, object, impact }),
    ...(impact ? { impact } : {}),
    evidence: rule.evidence(data),
    fingerprint: fingerprint(rule.def.id, object),
    ...(waiver ? { waiver: { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires } } : {}),
  };
  return { finding, rule, ref };
}

/** What a rule over access paths is evaluated with. */
interface PathRuleContext {
  analysis: Analysis;
  /** The accessPaths collection: each path is its own item. */
  items: readonly ResourceItem[];
  views: CelViews;
  fieldsRead: ReadonlySet<string> | undefined;
  now: Date;
}

/**
 * A rule's matches among the access paths, grouped by the object each is about (its `object`), in
 * the order of their first path. The object is found once per grant or target number
 * (path-object-kinds.ts), and a number's paths join its group without a lookup.
 */
function pathRuleMatches(rule: CompiledRule, memo: Memo, budget: ConditionBudget, { analysis, items, views, fieldsRead, now }: PathRuleContext): Iterable<Group> {
  const byPart = memo instanceof PartMemo;
  const kind = rule.object === 'path' ? null : rule.object;
  const column = kind ? analysis.pathParts[OBJECT_PART[kind]] : null;
  const groups = new Map<string, Group>();
  const joined: (Group | undefined)[] = [];
  for (let index = 0; index < items.length; index++) {
    let fired = byPart ? memo.recall(NO_DATA, index) : memo.recall(items[index]!.data, index);
    if (fired === undefined) {
      const item = items[index]!;
      fired = evaluateOn(rule, budget, item, views.view(item.data, fieldsRead), now);
      memo.remember(fired);
    }
    if (!fired) continue;
    const no = column ? column[index]! : -1;
    const known = no >= 0 ? joined[no] : undefined;
    if (known) {
      known.paths.push(index);
      continue;
    }
    const item = items[index]!;
    const ref = kind ? pathObject(kind, item.data as unknown as AccessPathDetail, item.ref.pointer, analysis.objectPointers) : item.ref;
    const key = `${ref.type}\u0000${ref.id}`;
    let group = groups.get(key);
    if (group) group.paths.push(index);
    else groups.set(key, (group = { ref, data: item.data, paths: [index] }));
    if (no >= 0) joined[no] = group;
  }
  return groups.values();
}

/**
 * The rule's condition on one item's CEL view: true or false, or the audit stops naming the rule and
 * the item. It runs within the rule's time budget for this audit (cel.ts).
 */
function evaluateOn(rule: CompiledRule, budget: ConditionBudget, item: ResourceItem, view: Record<string, unknown>, now: Date): boolean {
  let fired: unknown;
  try {
    fired = budget.run(() => rule.evaluate({ resource: view, params: rule.celParams, now }));
  } catch (error) {
    // The condition failed on this item (an invalid pattern in matches(), say): its place is /when.
    const on = `${item.ref.type} ${item.ref.id}`;
    const problem = error instanceof OverBudget ? `evaluation on ${on} ${error.message}` : `evaluation failed on ${on}: ${(error as Error).message.split('\n')[0]}`;
    throw inputError(`${rule.file}: rule ${rule.def.id}`, '/when', problem);
  }
  if (typeof fired !== 'boolean') {
    throw inputError(`${rule.file}: rule ${rule.def.id}`, '/when', `returned ${typeof fired} on ${item.ref.id}, not a bool`);
  }
  return fired;
}

/** Report order: severity, then impact (people × production accounts, people, accounts, paths), rule, object id. */
export function compareFindings(a: LocatedFinding, b: LocatedFinding): number {
  const s = severityRank(b.finding.severity) - severityRank(a.finding.severity);
  if (s) return s;
  const i = compareImpact(a.finding.impact, b.finding.impact);
  if (i) return i;
  if (a.finding.ruleId !== b.finding.ruleId) return a.finding.ruleId < b.finding.ruleId ? -1 : 1;
  return a.finding.object.id < b.finding.object.id ? -1 : a.finding.object.id > b.finding.object.id ? 1 : 0;
}

export type FailOn = Severity | 'none';

/**
 * What `--allow-incomplete` accepts: nothing (false), every missing section a rule needs (true, the
 * bare flag), or the sections it names (`aws.iamUsers` also accepts `aws.iamUsers[<account>]`). A cloud
 * of which nothing at all was read is never accepted.
 */
export type AllowIncomplete = boolean | readonly string[];

export interface Gate {
  failOn: FailOn;
  passed: boolean;
  /** Open findings at or above failOn. */
  failing: number;
  /**
   * Missing sections that hold the gate: those an enabled rule needs, and every section of a cloud
   * nothing was read of. When --allow-incomplete accepts them all, all of them (allowIncomplete is
   * true); otherwise only those it does not accept.
   */
  blockingIncomplete: string[];
  /** Whether --allow-incomplete accepted every missing section that holds the gate. */
  allowIncomplete: boolean;
  /** The clouds (entra, aws) of which the snapshot holds nothing: the gate fails whatever the flags. */
  unreadClouds: Cloud[];
}

const CLOUDS = Object.keys(CLOUD_NAMES) as Cloud[];
/** Sections the config can declare when no API exposes them: declaring one is not reading the cloud. */
const DECLARABLE: ReadonlySet<string> = new Set<SectionPath>(['aws.portalSession']);

/** The clouds none of whose sections was read: every section missing, or declared from the config. */
export function unreadClouds(incomplete: readonly string[]): Cloud[] {
  const missing = new Set(incomplete);
  return CLOUDS.filter((cloud) => SECTION_PATHS.every((p) => !p.startsWith(`${cloud}.`) || missing.has(p) || DECLARABLE.has(p)));
}

export function gate(findings: LocatedFinding[], rules: CompiledRule[], incomplete: string[], failOn: FailOn, allowIncomplete: AllowIncomplete): Gate {
  const threshold = failOn === 'none' ? Infinity : severityRank(failOn);
  const failing = findings.filter((f) => f.finding.status === 'open' && severityRank(f.finding.severity) >= threshold).length;
  const unread = unreadClouds(incomplete);
  const ofUnread = (section: string) => unread.some((cloud) => section.startsWith(`${cloud}.`));
  const needed = new Set(blockingIncomplete(rules, incomplete));
  const blocking = incomplete.filter((s) => needed.has(s) || ofUnread(s));
  const named = typeof allowIncomplete === 'boolean' ? null : new Set(allowIncomplete);
  const accepted = (section: string) => !ofUnread(section) && (named ? named.has(section) || named.has(sectionOf(section)) : allowIncomplete === true);
  const refused = blocking.filter((s) => !accepted(s));
  const given = named ? named.size > 0 : allowIncomplete === true;
  return {
    failOn,
    passed: failing === 0 && refused.length === 0,
    failing,
    blockingIncomplete: refused.length ? refused : blocking,
    allowIncomplete: given && refused.length === 0,
    unreadClouds: unread,
  };
}

/** `aws.iamUsers[123456789012]` → `aws.iamUsers`. */
const sectionOf = (incomplete: string) => incomplete.replace(/\[.*$/, '');

/** The missing sections that an enabled rule needs (known before the rules run). */
export function blockingIncomplete(rules: CompiledRule[], incomplete: string[]): string[] {
  const needed = new Set(rules.flatMap((r) => r.type.needs));
  return incomplete.filter((section) => needed.has(sectionOf(section)));
}
