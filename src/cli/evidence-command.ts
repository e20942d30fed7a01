// jitaudit evidence (--snapshot FILE | --demo) --out DIR [--previous DIR] [--config FILE] [--rules DIR]
// jitaudit evidence verify DIR
import { Command, Option } from 'commander';
import { buildPack, writePack } from '../evidence/pack.js';
import { diffCounts } from '../evidence/diff.js';
import { verifyPack } from '../evidence/verify.js';
import type { FailOn } from '../rules/evaluate.js';
import { inputError } from '../util/errors.js';
import { printable } from '../util/printable.js';
import { configOption, demoOption, failOnOption, rulesOption, snapshotOption, snapshotSource } from './shared-options.js';

interface EvidenceFlags {
  snapshot?: string;
  demo?: boolean;
  out?: string;
  previous?: string;
  config?: string;
  rules?: string[];
  failOn: FailOn;
  allowIncomplete?: boolean;
  quiet?: boolean;
}

export function evidenceCommand(setExit: (code: number) => void): Command {
  const evidence = new Command('evidence')
    .description('Write an access-review evidence pack (snapshot, reports, access-review.csv, summary.md, manifest of SHA-256 hashes), or verify one.')
    .addOption(snapshotOption())
    .addOption(demoOption())
    .addOption(new Option('--out <dir>', 'a new or empty folder for the pack'))
    .addOption(new Option('--previous <dir>', 'the previous pack (e.g. last quarter\'s): adds what changed to summary.md, report.html and diff.json'))
    .addOption(configOption())
    .addOption(rulesOption())
    .addOption(failOnOption('the gate recorded in the pack (the command itself exits 0 once the pack is written)'))
    .addOption(new Option('--allow-incomplete', 'record the gate as passing despite missing sections'))
    .addOption(new Option('-q, --quiet', 'print nothing but errors'))
    .addHelpText('after', '\nExit codes: 0 pack written (or verified), 1 verification failed, 2 usage/config/input error.\nVerify: jitaudit evidence verify DIR')
    .action(async (flags: EvidenceFlags) => {
      const source = snapshotSource('evidence', flags);
      if (!flags.out) throw inputError('evidence', null, 'give --out DIR (a new or empty folder)');
      const pack = buildPack({
        snapshotFile: source.snapshotFile,
        config: source.config,
        ruleDirs: flags.rules ?? [],
        failOn: flags.failOn,
        allowIncomplete: flags.allowIncomplete === true,
        ...(flags.previous ? { previousDir: flags.previous } : {}),
      });
      const written = await writePack(flags.out, pack);
      if (!flags.quiet) {
        const lines = [`jitaudit: evidence pack of ${pack.result.analysis.now} in ${printable(flags.out)}: ${written.length} files`];
        lines.push(`  access paths: ${pack.result.analysis.accessPaths.length}; findings: ${pack.result.findings.length}; incomplete: ${pack.result.analysis.incomplete.join(', ') || 'nothing'}`);
        if (pack.diff) {
          const c = diffCounts(pack.diff);
          const skipped = pack.diff.findingsNotCompared;
          lines.push(
            `  since the previous pack: access paths +${c.accessPaths.added} -${c.accessPaths.removed} ~${c.accessPaths.changed}; findings +${c.findings.added} -${c.findings.removed} ~${c.findings.changed}` +
              (skipped ? ` (the previous report.json is v${pack.diff.previous.reportSchemaVersion}: the ${skipped.rules.length} rules over access paths are not compared, see summary.md)` : ''),
          );
        }
        lines.push(`  verify with: jitaudit evidence verify ${printable(flags.out)}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      setExit(0);
    });
  evidence
    .command('verify')
    .description('Re-check every SHA-256 of an evidence pack; exit 1 on any mismatch, missing or unlisted file.')
    .argument('<dir>', 'the evidence pack folder')
    .action((dir: string) => {
      const v = verifyPack(dir);
      for (const p of v.problems) process.stdout.write(`FAIL ${printable(p)}\n`);
      process.stdout.write(
        v.ok
          ? `evidence pack ${printable(dir)}: verified, ${v.checked} files match manifest.json (snapshot collected ${v.manifest?.snapshot.collectedAt ?? '?'})\n`
          : `evidence pack ${printable(dir)}: FAILED verification, ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}\n`,
      );
      setExit(v.ok ? 0 : 1);
    });
  return evidence;
}
