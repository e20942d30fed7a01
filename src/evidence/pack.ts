// `jitaudit evidence`: the quarterly access-review evidence pack — the snapshot, the
// reports, one CSV row per access path and the same review as a workbook, a summary for auditors, a diff against the previous pack,
// and a manifest of SHA-256 hashes. Written all-or-nothing into a new (or empty) folder; the same
// snapshot, config and previous pack give byte-identical files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runAudit } from '../audit.js';
import type { Config } from '../model/config.js';
import { snapshotBytes } from '../model/load-snapshot.js';
import { accessReviewRows, renderAccessReview } from '../report/access-review.js';
import { renderAccessReviewXlsx } from '../report/access-review-xlsx.js';
import type { AuditResult } from '../report/audit-result.js';
import { renderHtmlReport } from '../report/html/page.js';
import { renderJsonReport } from '../report/json-report.js';
import { parseReportJson } from '../report/read-report.js';
import { renderedBytes, type Rendered } from '../util/json-chunks.js';
import type { FailOn } from '../rules/evaluate.js';
import { presentSections } from '../model/snapshot-schema.js';
import { inputError } from '../util/errors.js';
import { TOOL } from '../util/version.js';
import { writeOutputs } from '../util/write-outputs.js';
import { diffPack, readPreviousReport, ReportShapeError, type PackDiff, type PreviousReport } from './diff.js';
import { MANIFEST, PACK_FORMAT, renderManifest, renderSums, rulePackDigest, sha256, SUMS, type Manifest, type ManifestFile } from './manifest.js';
import { renderSummaryMd } from './summary-md.js';
import { readMember, verifyPack } from './verify.js';

export interface PackOptions {
  snapshotFile: string;
  config: Config;
  ruleDirs: string[];
  failOn: FailOn;
  allowIncomplete: boolean;
  previousDir?: string;
}

export interface Pack {
  result: AuditResult;
  files: Map<string, Rendered>;
  diff: PackDiff | null;
}

interface Previous {
  report: PreviousReport;
  manifest: Manifest;
  manifestSha256: string;
}

function readPrevious(dir: string): Previous {
  const v = verifyPack(dir);
  if (!v.ok || !v.manifest) throw inputError(dir, null, `the previous pack does not verify: ${v.problems[0]}${v.problems.length > 1 ? ` (and ${v.problems.length - 1} more)` : ''}`);
  const file = join(dir, 'report.json');
  // Read as verify reads: a regular file of the pack, or an input error naming it.
  const bytes = readMember(dir, 'report.json');
  if (!bytes) throw inputError(dir, null, 'the previous pack has no report.json');
  let parsed: unknown;
  try {
    parsed = parseReportJson(bytes);
  } catch (error) {
    throw inputError(file, null, `not valid JSON (${(error as Error).message})`);
  }
  let report: PreviousReport;
  try {
    // Version 2, or version 1 of a pack written before it (diff.ts says what compares across them).
    report = readPreviousReport(parsed);
  } catch (error) {
    if (!(error instanceof ReportShapeError)) throw error;
    throw inputError(file, error.pointer, `not a jitaudit report this version can compare with: ${error.message}`);
  }
  return { report, manifest: v.manifest, manifestSha256: v.manifestSha256! };
}

function sections(result: AuditResult): Manifest['snapshot']['sections'] {
  const s = result.snapshot.model;
  const out: Manifest['snapshot']['sections'] = {};
  for (const { path, section } of presentSections(s)) {
    const p = section.provenance;
    out[path] = p.status === 'collected' ? { status: p.status, collectedAt: p.collectedAt } : { status: p.status };
  }
  return out;
}

export async function buildPack(options: PackOptions): Promise<Pack> {
  const previous = options.previousDir ? readPrevious(options.previousDir) : null;
  const result = runAudit({
    snapshotFile: options.snapshotFile,
    displayPath: 'snapshot.json',
    config: options.config,
    ruleDirs: options.ruleDirs,
    failOn: options.failOn,
    allowIncomplete: options.allowIncomplete,
  });
  // Rendered once: report.json is hashed and written from the same chunks' function.
  const reportJson = renderJsonReport(result);
  const diff = previous ? diffPack(previous.report, result) : null;
  const rulePackSha256 = rulePackDigest(result.rules);
  const files = new Map<string, Rendered>();
  files.set('snapshot.json', snapshotBytes(result.snapshot));
  files.set('report.json', reportJson);
  files.set('report.html', renderHtmlReport(result, { diff }));
  // The rows once, for both: the workbook's access-paths sheet is the CSV, typed.
  const reviewRows = accessReviewRows(result);
  files.set('access-review.csv', renderAccessReview(result, reviewRows));
  files.set('access-review.xlsx', await renderAccessReviewXlsx(result, reviewRows));
  files.set('summary.md', renderSummaryMd(result, { rulePackSha256, diff }));
  if (diff) files.set('diff.json', `${JSON.stringify(diff, null, 2)}\n`);
  // The config as given, so the pack can be audited again exactly as it was.
  if (result.config.path) files.set('jitaudit.config.yaml', readFileSync(result.config.path, 'utf8'));
  const listed = (names: Map<string, Rendered>): ManifestFile[] =>
    [...names.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, content]) => ({ name, sha256: sha256(content), bytes: renderedBytes(content) }));
  files.set(SUMS, renderSums(listed(files)));
  const s = result.snapshot.model;
  const manifest: Omit<Manifest, 'manifestSha256'> = {
    format: PACK_FORMAT,
    tool: { name: TOOL.name, version: TOOL.version },
    snapshot: {
      file: 'snapshot.json',
      sha256: result.snapshot.sha256,
      collectedAt: result.analysis.now,
      collection: { startedAt: s.meta.collection.startedAt, endedAt: s.meta.collection.endedAt },
      collectedBy: s.meta.tool,
      sections: sections(result),
    },
    rulePack: { sha256: rulePackSha256, rules: result.rules.length },
    config: { file: result.config.file, sha256: result.config.digest },
    gate: { failOn: result.gate.failOn, passed: result.gate.passed },
    previous: previous
      ? { collectedAt: previous.report.side.collectedAt, snapshotSha256: previous.report.side.snapshotSha256, manifestSha256: previous.manifestSha256 }
      : null,
    files: listed(files),
  };
  files.set(MANIFEST, renderManifest(manifest));
  return { result, files, diff };
}

/**
 * The folder a pack goes to: new (absent), or an empty folder. An existing file, or a folder with
 * anything in it, is an input error (checked before the audit, and again just before writing).
 */
export function checkPackFolder(dir: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw inputError(dir, null, `cannot be used for the pack (${code ?? (error as Error).message})`);
  }
  if (!isDirectory) throw inputError(dir, null, 'an existing file, not a folder; an evidence pack is written to a new or empty folder');
  // A pack is one set of files: leftovers of another run would not verify.
  if (readdirSync(dir).length) throw inputError(dir, null, 'not empty; an evidence pack is written to a new or empty folder');
}

export async function writePack(dir: string, pack: Pack): Promise<string[]> {
  checkPackFolder(dir);
  return writeOutputs(dir, pack.files);
}
