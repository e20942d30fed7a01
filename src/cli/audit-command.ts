// jitaudit audit (--snapshot FILE | --demo) [--config FILE] [--rules DIR] [--format json,sarif,html]
//                [--out DIR|-] [--fail-on critical|high|medium|low|none] [--allow-incomplete [SECTIONS]]
//                [--no-color] [--quiet]
import { appendFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { FORMATS, parseFormats, renderReports, runAudit } from '../audit.js';
import { CLOUD_NAMES, type Cloud } from '../model/snapshot-schema.js';
import type { AuditResult } from '../report/audit-result.js';
import { annotations, stepSummary } from '../report/github.js';
import type { FailOn } from '../rules/evaluate.js';
import { inputError } from '../util/errors.js';
import { printable } from '../util/printable.js';
import { writeOutputs, writeToStream } from '../util/write-outputs.js';
import { gateExit } from './exit-codes.js';
import {
  allowIncompleteFrom,
  allowIncompleteOption,
  COMMON_ENV,
  configOption,
  demoOption,
  environmentHelp,
  failOnOption,
  rulesOption,
  snapshotOption,
  snapshotSource,
  type EnvVar,
} from './shared-options.js';
import { printSummary, topFindings, TOP_FINDINGS } from './summary.js';

/** `--out -`: the one report goes to standard output, and everything else to stderr. */
const STDOUT = '-';

/** What `audit` reads from the environment, for --help (a test holds it to the source). */
export const AUDIT_ENV: readonly EnvVar[] = [
  ['GITHUB_ACTIONS', '"true" (GitHub Actions): annotate the run with the top open findings, and write a step summary'],
  ['GITHUB_STEP_SUMMARY', 'the file the step summary is appended to (set by GitHub Actions)'],
  ['NO_COLOR', 'set: no colour (as --no-color)'],
  ['FORCE_COLOR', 'colour even when not writing to a terminal (0: none)'],
  ['NODE_DISABLE_COLORS', 'set: no colour'],
  ...COMMON_ENV,
];

interface AuditFlags {
  snapshot?: string;
  demo?: boolean;
  config?: string;
  rules?: string[];
  format: string;
  out: string;
  failOn: FailOn;
  allowIncomplete?: boolean | string;
  color: boolean;
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
    .addOption(new Option('--out <dir>', 'output folder; - writes the report to standard output (one --format only)').default('reports'))
    .addOption(failOnOption('exit 1 when an open finding is at or above this severity'))
    .addOption(
      allowIncompleteOption(
        'do not fail the gate because a section a rule needs could not be collected; with a comma-separated list (entra.accessReviews,aws.cloudTrail), only because of those. Never when nothing of a cloud was collected',
      ),
    )
    .addOption(new Option('--no-color', 'no colour in the summary (NO_COLOR=1 does the same)'))
    .addOption(new Option('-q, --quiet', 'print nothing but errors'))
    .addHelpText(
      'after',
      [
        `\nPrints a summary, the gate and the top ${TOP_FINDINGS} open findings (the reports list them all); on stderr with --out -, so that stdout holds the report alone; --quiet prints nothing.`,
        'In GitHub Actions, also appends a Markdown summary to $GITHUB_STEP_SUMMARY (even with --quiet) and annotates the run with the top open findings (::error for critical and high, ::warning for medium; not with --quiet).',
        'Exit codes: 0 gate passed, 1 open findings at or above --fail-on (whatever else), 2 usage/config/input error, 3 internal error, 4 gate failed only on missing data (a section a rule needs, or nothing of a cloud).',
        environmentHelp(AUDIT_ENV),
      ].join('\n'),
    )
    .action(async (flags: AuditFlags) => {
      const formats = parseFormats(flags.format);
      const toStdout = flags.out === STDOUT;
      if (toStdout && formats.length !== 1) {
        throw inputError('--out -', null, `writes one report to standard output: give exactly one --format (${Object.keys(FORMATS).join(', ')}), not "${formats.join(',')}"`);
      }
      const source = snapshotSource('audit', flags);
      const allowIncomplete = allowIncompleteFrom(flags.allowIncomplete);
      const result = runAudit({
        ...source,
        ruleDirs: flags.rules ?? [],
        failOn: flags.failOn,
        allowIncomplete,
      });
      const reports = renderReports(result, formats);
      let written: string[];
      if (toStdout) {
        const [file, content] = [...reports][0]!;
        const outcome = await writeToStream(content);
        written = [`${file} to standard output${outcome === 'closed' ? ' (the reader closed it before the end)' : ''}`];
      } else {
        written = await writeOutputs(flags.out, reports);
      }
      const exitCode = gateExit(result.gate);
      const out = toStdout ? process.stderr : process.stdout;
      if (!flags.quiet) {
        printSummary(result, written, { stream: out, color: flags.color });
        for (const cloud of result.gate.unreadClouds) process.stderr.write(`jitaudit: ${unreadCloud(cloud)}\n`);
      }
      if (process.env.GITHUB_ACTIONS === 'true') reportToGitHub(result, exitCode, { stream: out, quiet: flags.quiet === true });
      setExit(exitCode);
    });
}

/**
 * GitHub Actions: the step summary appended to $GITHUB_STEP_SUMMARY, and the top open findings as
 * workflow commands on the summary's stream (the runner reads commands on stdout and stderr alike).
 * A step summary that cannot be written is said on stderr; the reports and the gate stand.
 */
function reportToGitHub(result: AuditResult, exitCode: number, options: { stream: NodeJS.WritableStream; quiet: boolean }): void {
  const ordered = topFindings(result, Infinity);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) {
    try {
      appendFileSync(file, stepSummary(result, ordered, exitCode));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      process.stderr.write(`jitaudit: warning: GITHUB_STEP_SUMMARY ${printable(file)}: cannot append the step summary (${printable(code)}); the reports are written\n`);
    }
  }
  if (options.quiet) return;
  const lines = annotations(ordered);
  if (lines.length) options.stream.write(`${lines.join('\n')}\n`);
}

/** Why the gate cannot pass on a snapshot that holds nothing of `cloud`, and what fixes it. */
export function unreadCloud(cloud: Cloud): string {
  const name = CLOUD_NAMES[cloud];
  return `the snapshot holds nothing of ${name} (every ${cloud} section is missing): the gate fails whatever --allow-incomplete says; collect it again with ${name} credentials (see the README's collect section)`;
}
