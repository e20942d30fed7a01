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
