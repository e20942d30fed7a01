// jitaudit evidence (--snapshot FILE | --demo) --out DIR [--previous DIR] [--config FILE] [--rules DIR]
// jitaudit evidence verify DIR [--manifest-sha256 HEX]
import { Command, Option } from 'commander';
import { buildPack, checkPackFolder, writePack } from '../evidence/pack.js';
import { diffCounts } from '../evidence/diff.js';
import { MANIFEST, sha256 } from '../evidence/manifest.js';
import { verifyPack } from '../evidence/verify.js';
import type { FailOn } from '../rules/evaluate.js';
import { inputError } from '../util/errors.js';
import { printable } from '../util/printable.js';
import { COMMON_ENV, configOption, demoOption, environmentHelp, failOnOption, rulesOption, snapshotOption, snapshotSource } from './shared-options.js';

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
    .description('Write an access-review evidence pack (snapshot, reports, access-review.csv and .xlsx, summary.md, manifest of SHA-256 hashes), or verify one.')
    .addOption(snapshotOption())
    .addOption(demoOption())
    .addOption(new Option('--out <dir>', 'a new or empty folder for the pack'))
    .addOption(new Option('--previous <dir>', 'the previous pack (e.g. last quarter\'s): adds what changed to summary.md, report.html and diff.json'))
    .addOption(configOption())
    .addOption(rulesOption())
    .addOption(failOnOption('the gate recorded in the pack (the command itself exits 0 once the pack is written)'))
    .addOption(new Option('--allow-incomplete', 'record the gate as passing despite missing sections'))
    .addOption(new Option('-q, --quiet', 'print nothing but errors'))
    .addHelpText('after', `\nExit codes: 0 pack written (or verified), 1 verification failed, 2 usage/config/input error.\nVerify: jitaudit evidence verify DIR [--manifest-sha256 HEX]\n${environmentHelp(COMMON_ENV)}`)
    .action(async (flags: EvidenceFlags) => {
      const source = snapshotSource('evidence', flags);
      if (!flags.out) throw inputError('evidence', null, 'give --out DIR (a new or empty folder)');
      // Before the audit: a wrong --out is said at once, and nothing is written.
      checkPackFolder(flags.out);
      const pack = await buildPack({
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
        // The hash to keep elsewhere (a ticket, a commit): the pack's own hashes can be redone by whoever rewrites it.
        const manifestSha256 = sha256(pack.files.get(MANIFEST)!);
        lines.push(`  verify with: jitaudit evidence verify ${printable(flags.out)} --manifest-sha256 ${manifestSha256}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      setExit(0);
    });
  evidence
    .command('verify')
    .description('Re-check every SHA-256 of an evidence pack; exit 1 on any mismatch, missing or unlisted file. Prints the SHA-256 of manifest.json: keep it elsewhere (a ticket, a commit) and check the pack against it later with --manifest-sha256.')
    .argument('<dir>', 'the evidence pack folder')
    .addOption(new Option('--manifest-sha256 <hex>', "the manifest's SHA-256 as kept elsewhere: a pack with any other manifest fails verification"))
    .addHelpText(
      'after',
      '\nExit codes: 0 verified, 1 verification failed (a file changed, missing or not listed; a manifest other than --manifest-sha256), 2 usage/input error (not a folder; a pack member that is not a regular file: a link, a FIFO, a folder).',
    )
    .action((dir: string, options: { manifestSha256?: string }) => {
      const expected = options.manifestSha256;
      if (expected !== undefined && !/^[0-9a-f]{64}$/i.test(expected)) throw inputError('evidence verify', '--manifest-sha256', 'expected a SHA-256: 64 hexadecimal digits');
      const v = verifyPack(dir, expected === undefined ? {} : { expectedManifestSha256: expected.toLowerCase() });
      for (const p of v.problems) process.stdout.write(`FAIL ${printable(p)}\n`);
      if (v.manifestSha256) {
        const kept = expected === undefined ? '' : v.manifestSha256 === expected.toLowerCase() ? ' (matches --manifest-sha256)' : ' (NOT the --manifest-sha256 given)';
        process.stdout.write(`manifest.json SHA-256: ${v.manifestSha256}${kept}\n`);
      }
      process.stdout.write(
        v.ok
          ? `evidence pack ${printable(dir)}: verified, ${v.checked} files match manifest.json (snapshot collected ${printable(String(v.manifest?.snapshot?.collectedAt ?? '?'))})\n`
          : `evidence pack ${printable(dir)}: FAILED verification, ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}\n`,
      );
      setExit(v.ok ? 0 : 1);
    });
  return evidence;
}
