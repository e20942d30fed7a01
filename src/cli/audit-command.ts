// jitaudit audit (--snapshot FILE | --demo) [--config FILE] [--rules DIR] [--format json,sarif,html]
//                [--out DIR] [--fail-on critical|high|medium|low|none] [--allow-incomplete [SECTIONS]]
import { Command, Option } from 'commander';
import { FORMATS, parseFormats, renderReports, runAudit } from '../audit.js';
import { CLOUD_NAMES, type Cloud } from '../model/snapshot-schema.js';
import type { FailOn } from '../rules/evaluate.js';
import { writeOutputs } from '../util/write-outputs.js';
import { allowIncompleteFrom, allowIncompleteOption, configOption, demoOption, failOnOption, rulesOption, snapshotOption, snapshotSource } from './shared-options.js';
import { printSummary, TOP_FINDINGS } from './summary.js';

interface AuditFlags {
  snapshot?: string;
  demo?: boolean;
  config?: string;
  rules?: string[];
  format: string;
  out: string;
  failOn: FailOn;
  allowIncomplete?: boolean | string;
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
    .addOption(
      allowIncompleteOption(
        'do not fail the gate because a section a rule needs could not be collected; with a comma-separated list (entra.accessReviews,aws.cloudTrail), only because of those. Never when nothing of a cloud was collected',
      ),
    )
    .addOption(new Option('-q, --quiet', 'print nothing but errors'))
    .addHelpText(
      'after',
      `\nPrints a summary, the gate and the top ${TOP_FINDINGS} open findings (the reports list them all); --quiet prints nothing.\nExit codes: 0 gate passed, 1 gate failed, 2 usage/config/input error, 3 internal error.`,
    )
    .action(async (flags: AuditFlags) => {
      const source = snapshotSource('audit', flags);
      const formats = parseFormats(flags.format);
      const allowIncomplete = allowIncompleteFrom(flags.allowIncomplete);
      const result = runAudit({
        ...source,
        ruleDirs: flags.rules ?? [],
        failOn: flags.failOn,
        allowIncomplete,
      });
      const written = await writeOutputs(flags.out, renderReports(result, formats));
      if (!flags.quiet) {
        printSummary(result, written);
        for (const cloud of result.gate.unreadClouds) process.stderr.write(`jitaudit: ${unreadCloud(cloud)}\n`);
      }
      setExit(result.gate.passed ? 0 : 1);
    });
}

/** Why the gate cannot pass on a snapshot that holds nothing of `cloud`, and what fixes it. */
export function unreadCloud(cloud: Cloud): string {
  const name = CLOUD_NAMES[cloud];
  return `the snapshot holds nothing of ${name} (every ${cloud} section is missing): the gate fails whatever --allow-incomplete says; collect it again with ${name} credentials (see the README's collect section)`;
}
