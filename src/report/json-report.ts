// report.json: the contract users' scripts read (DESIGN §5). Keep its shape stable.
// Layout: indented, except that each access path and each finding is one compact line, so a large
// organisation's report is a third smaller, can be read line by line, and diffs one line per path.
import type { AccessPath, AccessPathDetail } from '../analyze/types.js';
import { SEVERITIES, type Severity } from '../rules/rule-schema.js';
import { jsonChunksAt, jsonLines, type LazyArray } from '../util/json-chunks.js';
import { TOOL } from '../util/version.js';
import { analysedPart, type AnalysedAudit, type AuditResult } from './audit-result.js';
import { LineRenderer, WireEncoder, type FindingBatch, type PathBatch } from './json-report-wire.js';

const INDENT = '  ';

/** The values of the head that the rules decide (the rest is known once the analysis is done). */
interface RuledValues {
  bySeverity: Record<Severity, number>;
  waived: number;
  passed: boolean;
  failing: number;
}

function headOf(audit: AnalysedAudit, ruled: RuledValues) {
  return {
    tool: { name: TOOL.name, version: TOOL.version },
    snapshot: {
      file: audit.snapshot.displayPath,
      sha256: audit.snapshot.sha256,
      collectedAt: audit.analysis.now,
    },
    summary: {
      bySeverity: ruled.bySeverity,
      waived: ruled.waived,
      incomplete: audit.analysis.incomplete,
      gate: {
        failOn: audit.gate.failOn,
        passed: ruled.passed,
        failing: ruled.failing,
        blockingIncomplete: audit.gate.blockingIncomplete,
        allowIncomplete: audit.gate.allowIncomplete,
      },
      accessPaths: audit.analysis.accessPaths.length,
      rules: audit.rules.length,
      warnings: audit.analysis.warnings,
    },
  };
}

/** Everything before the access paths: tool, snapshot and summary. */
export function jsonReportHead(result: AuditResult): JsonReportHead {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else bySeverity[finding.severity]++;
  }
  return headOf(analysedPart(result), { bySeverity, waived, passed: result.gate.passed, failing: result.gate.failing });
}

export type JsonReportHead = ReturnType<typeof headOf>;

/**
 * The bytes report.json keeps for its head: the head as wide as the rules could make it (every
 * count at the most findings they could give, one per rule and item; the gate failed). Known once the
 * analysis is done, so the access paths can be written at their place in the file while the rules
 * run, and the head over this room after them (json-report-thread.ts).
 */
export function jsonReportHeadRoom(audit: AnalysedAudit): number {
  let most = 0;
  for (const rule of audit.rules) most += audit.analysis.resources[rule.def.resource]?.length ?? 0;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, most])) as Record<Severity, number>;
  const widest = headText(headOf(audit, { bySeverity, waived: most, passed: false, failing: most }));
  return Buffer.byteLength(widest.before) + Buffer.byteLength(widest.after);
}

/**
 * The head as it stands in report.json, up to the access paths' key, in two: the head object's
 * closing "\n}" gives way to the access paths, and the room left over goes between the two, as spaces
 * at the end of the summary's line (where JSON allows them and a reader does not see them).
 */
function headText(head: JsonReportHead): { before: string; after: string } {
  const text = [...jsonChunksAt(head, 0)].join('');
  return { before: `${text.slice(0, -2)},`, after: `\n${INDENT}"accessPaths": ` };
}

/** report.json's text before its access paths: the head, filled out with spaces to `room` bytes. */
export function jsonReportPrefix(head: JsonReportHead, room: number): string {
  const { before, after } = headText(head);
  const pad = room - Buffer.byteLength(before) - Buffer.byteLength(after);
  if (pad < 0) throw new Error(`report.json: the head takes ${room - pad} bytes, more than the ${room} kept for it`);
  return `${before}${' '.repeat(pad)}${after}`;
}

/** report.json's text after its access paths: the findings and the end. */
export function* jsonReportSuffix(findings: LazyArray<string>): Generator<string | Buffer> {
  yield `,\n${INDENT}"findings": `;
  yield* jsonChunksAt(findings, ACCESS_PATHS_DEPTH);
  yield '\n}\n';
}

/** The fields of an access path that report.json carries (the analysis holds more, for rules). */
export function reportedPath(p: AccessPathDetail): AccessPath {
  return {
    id: p.id,
    kind: p.kind,
    standing: p.standing,
    principal: p.principal,
    group: p.group,
    account: p.account,
    permissionSet: p.permissionSet,
    window: p.window,
  };
}

/** Batches of a few thousand: the in-thread writer encodes one while it writes the one before. */
const BATCH = 2000;

export function* batchesOf<T, B>(items: readonly T[], encode: (slice: readonly T[]) => B, size = BATCH): Generator<B> {
  for (let i = 0; i < items.length; i += size) yield encode(items.slice(i, i + size));
}

/** Where the access paths stand in report.json: one level down, in the top object. */
export const ACCESS_PATHS_DEPTH = 1;

/** The access paths' lines, from their batches in order (one renderer for the whole report). */
export function pathLines(count: number, batches: () => Iterable<PathBatch>, lines: LineRenderer): LazyArray<string> {
  return jsonLines(count, function* () {
    for (const batch of batches()) yield* lines.pathLines(batch);
  });
}

/** The findings' lines, from their batches in order, after the paths'. */
export function findingLines(count: number, batches: () => Iterable<FindingBatch>, lines: LineRenderer): LazyArray<string> {
  return jsonLines(count, function* () {
    for (const batch of batches()) yield* lines.findingLines(batch);
  });
}

/**
 * report.json chunk by chunk (a large organisation's report is longer than one JavaScript string can
 * be): pretty-printed as JSON.stringify(report, null, 2) would, but each path and finding its line of
 * compact JSON, and the head filled out to its room (jsonReportHeadRoom). The one layout, whichever
 * thread writes it.
 */
export function* jsonReportChunks(head: JsonReportHead, room: number, accessPaths: LazyArray<string>, findings: LazyArray<string>): Generator<string | Buffer> {
  yield jsonReportPrefix(head, room);
  yield* jsonChunksAt(accessPaths, ACCESS_PATHS_DEPTH);
  yield* jsonReportSuffix(findings);
}

/** report.json on this thread: batches encoded as they are taken, one encoder and renderer per writing. */
export function renderJsonReport(result: AuditResult, head: JsonReportHead = jsonReportHead(result)): () => Iterable<string | Buffer> {
  const paths = result.analysis.accessPaths;
  const findings = result.findings.map((f) => f.finding);
  const room = jsonReportHeadRoom(analysedPart(result));
  return () => {
    const encoder = new WireEncoder();
    const lines = new LineRenderer();
    return jsonReportChunks(
      head,
      room,
      pathLines(paths.length, () => batchesOf(paths, (slice) => encoder.paths(slice)), lines),
      findingLines(findings.length, () => batchesOf(findings, (slice) => encoder.findings(slice)), lines),
    );
  };
}
