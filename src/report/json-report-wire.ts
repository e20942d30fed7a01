// report.json's access paths and findings as batches of columns, and their lines of compact JSON
// made from those batches: byte for byte JSON.stringify of each path and finding.
//
// Paths and findings share their parts (one object per person, account, permission set, group,
// window…). A part's JSON is made once and numbered; a path or finding is then a few part numbers
// and its own strings. That makes a line faster to write than JSON.stringify of the object, and a
// batch cheap to hand to the thread that writes report.json (structured clone of the objects would
// copy every shared part once per path and cost as much as writing the JSON).
import type { AccessPath } from '../analyze/types.js';
import type { Finding } from '../rules/evaluate.js';
import { omitted } from '../util/json-chunks.js';

/** A part the finding does not have (no account, no waiver). */
const ABSENT = -2;
/** A part that is null (a path without group or window). */
const NULL = -1;

export interface PathBatch {
  /** The JSON of the parts met for the first time, in the order of their numbers. */
  parts: StringColumn;
  ids: StringColumn;
  kinds: StringColumn;
  standing: Uint8Array;
  /** principal, group, account, permissionSet, window: a part number each, per path. */
  refs: Int32Array;
}

export interface FindingBatch {
  parts: StringColumn;
  /** ruleId, severity, status, resource type, account, principal, evidence keys, waiver: per finding. */
  refs: Int32Array;
  resourceIds: StringColumn;
  resourceNames: StringColumn;
  messages: StringColumn;
  fingerprints: StringColumn;
  /** Every finding's evidence values, one after the other: a part number, or the value itself. */
  values: unknown[];
  valueIsPart: Uint8Array;
}

/**
 * Strings of a batch as one string and where each ends: structured clone copies one string at the
 * speed of memory, and thousands of small ones several times slower.
 */
export interface StringColumn {
  text: string;
  ends: Int32Array;
}

export function packed(strings: string[]): StringColumn {
  const ends = new Int32Array(strings.length);
  let end = 0;
  for (let i = 0; i < strings.length; i++) ends[i] = end += strings[i]!.length;
  return { text: strings.join(''), ends };
}

export function unpacked(column: StringColumn): string[] {
  const out = new Array<string>(column.ends.length);
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    const end = column.ends[i]!;
    out[i] = column.text.slice(start, end);
    start = end;
  }
  return out;
}

const PATH_REFS = 5;
const FINDING_REFS = 8;

/** Numbers parts as they are met (objects by identity, strings by value) and writes their JSON once. */
export class WireEncoder {
  private readonly numbers = new Map<unknown, number>();
  private fresh: string[] = [];
  private readonly lastKeys = new Map<string, { keys: string[]; ref: number }>();

  private ref(part: unknown): number {
    if (part === undefined) return ABSENT;
    if (part === null) return NULL;
    let n = this.numbers.get(part);
    if (n === undefined) {
      this.numbers.set(part, (n = this.numbers.size));
      this.fresh.push(JSON.stringify(part));
    }
    return n;
  }

  /**
   * The keys a finding's evidence has in its JSON (undefined values are left out) and their part: a
   * rule's findings mostly have the same ones, so the last list per rule is checked before another
   * is made (no list, JSON or lookup per finding).
   */
  private evidenceKeys(f: Finding): { keys: string[]; ref: number } {
    const evidence = f.evidence;
    const last = this.lastKeys.get(f.ruleId);
    if (last) {
      let n = 0;
      let same = true;
      for (const key in evidence) {
        if (last.keys[n++] !== key || omitted(evidence[key])) {
          same = false;
          break;
        }
      }
      if (same && n === last.keys.length) return last;
    }
    const keys = Object.keys(evidence).filter((key) => !omitted(evidence[key]));
    const made = { keys, ref: this.ref(JSON.stringify(keys)) };
    this.lastKeys.set(f.ruleId, made);
    return made;
  }

  private takeFresh(): StringColumn {
    const parts = this.fresh;
    this.fresh = [];
    return packed(parts);
  }

  /** Paths as report.json has them: the fields of reportedPath. */
  paths(paths: readonly AccessPath[]): PathBatch {
    const n = paths.length;
    const ids = new Array<string>(n);
    const kinds = new Array<string>(n);
    const standing = new Uint8Array(n);
    const refs = new Int32Array(n * PATH_REFS);
    for (let i = 0; i < n; i++) {
      const p = paths[i]!;
      ids[i] = p.id;
      kinds[i] = p.kind;
      standing[i] = p.standing ? 1 : 0;
      const at = i * PATH_REFS;
      refs[at] = this.ref(p.principal);
      refs[at + 1] = this.ref(p.group);
      refs[at + 2] = this.ref(p.account);
      refs[at + 3] = this.ref(p.permissionSet);
      refs[at + 4] = this.ref(p.window);
    }
    return { parts: this.takeFresh(), ids: packed(ids), kinds: packed(kinds), standing, refs };
  }

  findings(findings: readonly Finding[]): FindingBatch {
    const n = findings.length;
    const refs = new Int32Array(n * FINDING_REFS);
    const resourceIds = new Array<string>(n);
    const resourceNames = new Array<string>(n);
    const messages = new Array<string>(n);
    const fingerprints = new Array<string>(n);
    const values: unknown[] = [];
    const isPart: number[] = [];
    for (let i = 0; i < n; i++) {
      const f = findings[i]!;
      const at = i * FINDING_REFS;
      const keys = this.evidenceKeys(f);
      refs[at] = this.ref(f.ruleId);
      refs[at + 1] = this.ref(f.severity);
      refs[at + 2] = this.ref(f.status);
      refs[at + 3] = this.ref(f.resource.type);
      refs[at + 4] = this.ref(f.account);
      refs[at + 5] = this.ref(f.principal);
      refs[at + 6] = keys.ref;
      refs[at + 7] = this.ref(f.waiver);
      resourceIds[i] = f.resource.id;
      resourceNames[i] = f.resource.name;
      messages[i] = f.message;
      fingerprints[i] = f.fingerprint;
      for (const key of keys.keys) {
        const value = f.evidence[key];
        const part = value !== null && typeof value === 'object';
        values.push(part ? this.ref(value) : value);
        isPart.push(part ? 1 : 0);
      }
    }
    return {
      parts: this.takeFresh(),
      refs,
      resourceIds: packed(resourceIds),
      resourceNames: packed(resourceNames),
      messages: packed(messages),
      fingerprints: packed(fingerprints),
      values,
      valueIsPart: Uint8Array.from(isPart),
    };
  }
}

/** The lines of batches made by one WireEncoder, taken in the order they were made. */
export class LineRenderer {
  private readonly parts: string[] = [];
  /** For an evidence key list (a part), the `"key":` text of each key. */
  private readonly keyTexts = new Map<number, string[]>();

  private part(n: number): string {
    return n === NULL ? 'null' : this.parts[n]!;
  }

  private take(parts: StringColumn): void {
    for (const part of unpacked(parts)) this.parts.push(part);
  }

  private evidenceKeys(n: number): string[] {
    let texts = this.keyTexts.get(n);
    if (!texts) {
      // The part is the JSON of a JSON list of the keys (keys may hold any character).
      const keys = JSON.parse(JSON.parse(this.part(n)) as string) as string[];
      texts = keys.map((key) => `${JSON.stringify(key)}:`);
      this.keyTexts.set(n, texts);
    }
    return texts;
  }

  /** JSON.stringify(reportedPath(path)): the fields in that order. */
  *pathLines(batch: PathBatch): Generator<string> {
    this.take(batch.parts);
    const { standing, refs } = batch;
    const ids = unpacked(batch.ids);
    const kinds = unpacked(batch.kinds);
    for (let i = 0; i < ids.length; i++) {
      const at = i * PATH_REFS;
      yield `{"id":${JSON.stringify(ids[i])},"kind":${JSON.stringify(kinds[i])},"standing":${standing[i] === 1}` +
        `,"principal":${this.part(refs[at]!)},"group":${this.part(refs[at + 1]!)},"account":${this.part(refs[at + 2]!)}` +
        `,"permissionSet":${this.part(refs[at + 3]!)},"window":${this.part(refs[at + 4]!)}}`;
    }
  }

  /** JSON.stringify(finding): the fields in the order evaluateRules makes them. */
  *findingLines(batch: FindingBatch): Generator<string> {
    this.take(batch.parts);
    const { refs, values, valueIsPart } = batch;
    const resourceIds = unpacked(batch.resourceIds);
    const resourceNames = unpacked(batch.resourceNames);
    const messages = unpacked(batch.messages);
    const fingerprints = unpacked(batch.fingerprints);
    let v = 0;
    for (let i = 0; i < messages.length; i++) {
      const at = i * FINDING_REFS;
      let evidence = '';
      for (const key of this.evidenceKeys(refs[at + 6]!)) {
        const value = valueIsPart[v] === 1 ? this.part(values[v] as number) : JSON.stringify(values[v]);
        evidence += evidence ? `,${key}${value}` : `${key}${value}`;
        v++;
      }
      const account = refs[at + 4]!;
      const principal = refs[at + 5]!;
      const waiver = refs[at + 7]!;
      yield `{"ruleId":${this.part(refs[at]!)},"severity":${this.part(refs[at + 1]!)},"status":${this.part(refs[at + 2]!)}` +
        `,"resource":{"type":${this.part(refs[at + 3]!)},"id":${JSON.stringify(resourceIds[i])},"name":${JSON.stringify(resourceNames[i])}}` +
        (account === ABSENT ? '' : `,"account":${this.part(account)}`) +
        (principal === ABSENT ? '' : `,"principal":${this.part(principal)}`) +
        `,"message":${JSON.stringify(messages[i])},"evidence":{${evidence}},"fingerprint":${JSON.stringify(fingerprints[i])}` +
        (waiver === ABSENT ? '}' : `,"waiver":${this.part(waiver)}}`);
    }
  }
}
