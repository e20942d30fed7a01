// Everything one audit produced: what every report format renders from.
import type { Analysis } from '../analyze/types.js';
import type { Config } from '../model/config.js';
import type { FileIdentity } from '../model/file-identity.js';
import type { CompiledRule } from '../rules/load-rules.js';
import type { Gate, LocatedFinding } from '../rules/evaluate.js';
import type { ReportedSnapshot } from './reported-snapshot.js';

export interface AuditResult {
  snapshot: {
    /** As shown in reports: relative to the working directory, with / separators. */
    displayPath: string;
    /** Where it was read from (reports that point into it read it again, see snapshotBytes). */
    file: string;
    /** Which file exactly: snapshotBytes refuses one that changed since. */
    identity: FileIdentity;
    sha256: string;
    /** The sections reports read (reported-snapshot.ts); runAudit's onSnapshot has the whole of it. */
    model: ReportedSnapshot;
  };
  config: Config;
  analysis: Analysis;
  rules: CompiledRule[];
  findings: LocatedFinding[];
  gate: Gate;
}

/**
 * What an audit knows once the analysis is done and before its rules run: the threads that work
 * beside the rules start on it (report.json's paths, SARIF's positions).
 */
export interface AnalysedAudit {
  snapshot: Pick<AuditResult['snapshot'], 'displayPath' | 'file' | 'identity' | 'sha256'>;
  analysis: Analysis;
  rules: CompiledRule[];
  /** The gate as far as it is known before the rules: what it fails on, and the sections missing for them. */
  gate: Pick<Gate, 'failOn' | 'allowIncomplete' | 'blockingIncomplete'>;
}

/** The part of a finished audit that was known before its rules ran. */
export const analysedPart = (result: AuditResult): AnalysedAudit => ({
  snapshot: result.snapshot,
  analysis: result.analysis,
  rules: result.rules,
  gate: result.gate,
});
