// report.json: the contract users' scripts read (DESIGN §5). Keep its shape stable.
// Layout: indented, except that each access path and each finding is one compact line, so a large
// organisation's report is a third smaller, can be read line by line, and diffs one line per path.
import type { AccessPath, AccessPathDetail } from '../analyze/types.js';
import { SEVERITIES, type Severity } from '../rules/rule-schema.js';
import { jsonChunks, jsonLines, type LazyArray, type RawJson } from '../util/json-chunks.js';
import { TOOL } from '../util/version.js';
import type { AuditResult } from './audit-result.js';
import { LineRenderer, WireEncoder, type FindingBatch, type PathBatch } from './json-report-wire.js';

/** Everything before the access paths: tool, snapshot and summary. */
export function jsonReportHead(result: AuditResult) {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let waived = 0;
  for (const { finding } of result.findings) {
    if (finding.status === 'waived') waived++;
    else bySeverity[finding.severity]++;
  }
  return {
    tool: { name: TOOL.name, version: TOOL.version },
    snapshot: {
      file: result.snapshot.displayPath,
      sha256: result.snapshot.sha256,
      collectedAt: result.analysis.now,
    },
    summary: {
      bySeverity,
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
      rules: result.rules.length,
      warnings: result.analysis.warnings,
    },
  };
}

export type JsonReportHead = ReturnType<typeof jsonReportHead>;

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
 * be): pretty-printed, each path and finding its line of compact JSON. The one layout, whichever
 * thread writes it; the paths may have been written beforehand (RawJson, at ACCESS_PATHS_DEPTH).
 */
export function jsonReportChunks(head: JsonReportHead, accessPaths: LazyArray<string> | RawJson, findings: LazyArray<string>): Iterable<string | Buffer> {
  return jsonChunks({ ...head, accessPaths, findings });
}

/** report.json on this thread: batches encoded as they are taken, one encoder and renderer per writing. */
export function renderJsonReport(result: AuditResult, head: JsonReportHead = jsonReportHead(result)): () => Iterable<string | Buffer> {
  const paths = result.analysis.accessPaths;
  const findings = result.findings.map((f) => f.finding);
  return () => {
    const encoder = new WireEncoder();
    const lines = new LineRenderer();
    return jsonReportChunks(
      head,
      pathLines(paths.length, () => batchesOf(paths, (slice) => encoder.paths(slice)), lines),
      findingLines(findings.length, () => batchesOf(findings, (slice) => encoder.findings(slice)), lines),
    );
  };
}
