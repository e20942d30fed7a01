// jitaudit audit (--snapshot FILE | --demo) [--config FILE] [--rules DIR] [--format json,sarif,html]
//                [--out DIR] [--fail-on critical|high|medium|low|none] [--allow-incomplete]
import { Command, Option } from 'commander';
import { FORMATS, parseFormats, renderReports, runAudit } from '../audit.js';
import { JsonReportThread, jsonReportThreadAvailable } from '../report/json-report-thread.js';
import { SnapshotPositionsThread, snapshotPositionsThreadAvailable } from '../report/snapshot-positions-thread.js';
import type { FailOn } from '../rules/evaluate.js';
import { writeOutputs } from '../util/write-outputs.js';
import { configOption, demoOption, failOnOption, rulesOption, snapshotOption, snapshotSource } from './shared-options.js';
import { jsonThreadWanted } from './heap.js';
import { printSummary } from './summary.js';

interface AuditFlags {
  snapshot?: string;
  demo?: boolean;
  config?: string;
  rules?: string[];
  format: string;
  out: string;
  failOn: FailOn;
  allowIncomplete?: boolean;
  quiet?: boolean;
}

export function auditCommand(setExit: (code: number) => void): Command {
  return new Command('audit')
    .description('Audit a snapshot offline: access paths, effective windows, findings, reports and the gate.')
    .addOption(snapshotOption())
    .addOption(demoOption())
    .addOption(configOption())
    .addOption(rulesOption())
    .addOption(new Option('--format <list>', `report formats, comma-separated: ${Object.keys(FORMATS).join(', ')}`).default('json,sarif,html'))
    .addOption(new Option('--out <dir>', 'output folder').default('reports'))
    .addOption(failOnOption('exit 1 when an open finding is at or above this severity'))
    .addOption(new Option('--allow-incomplete', 'do not fail the gate because a section a rule needs could not be collected'))
    .addOption(new Option('-q, --quiet', 'print nothing but errors'))
    .addHelpText('after', '\nExit codes: 0 gate passed, 1 gate failed, 2 usage/config/input error, 3 internal error.')
    .action(async (flags: AuditFlags) => {
      const source = snapshotSource('audit', flags);
      const formats = parseFormats(flags.format);
      const jsonThreaded = formats.includes('json') && jsonThreadWanted() && jsonReportThreadAvailable();
      const positionsThreaded = formats.includes('sarif') && snapshotPositionsThreadAvailable();
      let jsonThread: JsonReportThread | undefined;
      let positionsThread: SnapshotPositionsThread | undefined;
      try {
        const result = runAudit({
          ...source,
          ruleDirs: flags.rules ?? [],
          failOn: flags.failOn,
          allowIncomplete: flags.allowIncomplete === true,
          onAnalysis: (audit) => {
            if (jsonThreaded) jsonThread = new JsonReportThread(audit, flags.out);
            if (positionsThreaded) positionsThread = new SnapshotPositionsThread(audit.snapshot, audit.analysis.resources);
          },
        });
        const snapshotPositions = await positionsThread?.positions();
        const written = await writeOutputs(flags.out, renderReports(result, formats, { jsonThread, snapshotPositions }));
        if (!flags.quiet) printSummary(result, written);
        setExit(result.gate.passed ? 0 : 1);
      } catch (error) {
        await Promise.all([jsonThread?.abort(), positionsThread?.abort()]);
        throw error;
      }
    });
}
