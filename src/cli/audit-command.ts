// jitaudit audit (--snapshot FILE | --demo) [--config FILE] [--rules DIR] [--format json,sarif,html]
//                [--out DIR] [--fail-on critical|high|medium|low|none] [--allow-incomplete]
import { Command, Option } from 'commander';
import { DEMO_CONFIG, DEMO_SNAPSHOT, FORMATS, parseFormats, renderReports, runAudit } from '../audit.js';
import type { FailOn } from '../rules/evaluate.js';
import { SEVERITIES } from '../rules/rule-schema.js';
import { inputError } from '../util/errors.js';
import { writeOutputs } from '../util/write-outputs.js';
import { configFrom, configOption, rulesOption } from './shared-options.js';
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
    .addOption(new Option('--snapshot <file>', 'the snapshot to audit (JSON; see schemas/snapshot.schema.json)').conflicts('demo'))
    .addOption(new Option('--demo', 'audit the bundled demo snapshot with its config (no cloud credentials needed)'))
    .addOption(configOption())
    .addOption(rulesOption())
    .addOption(new Option('--format <list>', `report formats, comma-separated: ${Object.keys(FORMATS).join(', ')}`).default('json,sarif,html'))
    .addOption(new Option('--out <dir>', 'output folder').default('reports'))
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity')
        .choices([...SEVERITIES.filter((s) => s !== 'info'), 'none'])
        .default('high'),
    )
    .addOption(new Option('--allow-incomplete', 'do not fail the gate because a section a rule needs could not be collected'))
    .addOption(new Option('-q, --quiet', 'print nothing but errors'))
    .addHelpText('after', '\nExit codes: 0 gate passed, 1 gate failed, 2 usage/config/input error, 3 internal error.')
    .action((flags: AuditFlags) => {
      if (!flags.snapshot && !flags.demo) throw inputError('audit', null, 'give --snapshot FILE or --demo');
      const formats = parseFormats(flags.format);
      const result = runAudit({
        snapshotFile: flags.snapshot ?? DEMO_SNAPSHOT,
        ...(flags.demo ? { displayPath: 'reports/demo/snapshot.json' } : {}),
        // The demo brings its own config (breakglass users, waivers) unless --config says otherwise.
        config: configFrom(flags, flags.demo ? { path: DEMO_CONFIG, display: 'reports/demo/jitaudit.config.yaml' } : undefined),
        ruleDirs: flags.rules ?? [],
        failOn: flags.failOn,
        allowIncomplete: flags.allowIncomplete === true,
      });
      const written = writeOutputs(flags.out, renderReports(result, formats));
      if (!flags.quiet) printSummary(result, written);
      setExit(result.gate.passed ? 0 : 1);
    });
}
