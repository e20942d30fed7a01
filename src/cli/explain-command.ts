// jitaudit explain (--snapshot FILE | --demo) (--user UPN | --account ID) [--permission-set NAME]
//                  [--config FILE] [--rules DIR]
import { Command, Option } from 'commander';
import { runAudit } from '../audit.js';
import type { Snapshot } from '../model/snapshot-schema.js';
import { explain } from '../report/explain.js';
import { inputError } from '../util/errors.js';
import { printableLines } from '../util/printable.js';
import { configOption, demoOption, rulesOption, snapshotOption, snapshotSource } from './shared-options.js';

interface ExplainFlags {
  snapshot?: string;
  demo?: boolean;
  user?: string;
  account?: string;
  permissionSet?: string;
  config?: string;
  rules?: string[];
}

export function explainCommand(setExit: (code: number) => void): Command {
  return new Command('explain')
    .description('Explain, in plain words, every access path of one person (or into one account): how it arises, its controls, and its effective window term by term; for a person, also their ways around the JIT (directory roles, app ownership, workload identities they own).')
    .addOption(snapshotOption('the snapshot to read'))
    .addOption(demoOption())
    .addOption(new Option('--user <upn>', 'the person, by user principal name').conflicts('account'))
    .addOption(new Option('--account <id>', 'the AWS account, by id or name'))
    .addOption(new Option('--permission-set <name>', 'only paths to this permission set'))
    .addOption(configOption())
    .addOption(rulesOption())
    .addHelpText('after', '\nExample: jitaudit explain --demo --user frank.hall@northwind.example\nExit codes: 0 explained, 2 usage/config/input error (unknown user, account or permission set).')
    .action((flags: ExplainFlags) => {
      const source = snapshotSource('explain', flags);
      if (!flags.user && !flags.account) throw inputError('explain', null, 'give --user UPN or --account ID');
      let snapshot: Snapshot | undefined;
      const result = runAudit({
        ...source,
        ruleDirs: flags.rules ?? [],
        failOn: 'none',
        allowIncomplete: true,
        onSnapshot: (whole) => (snapshot = whole),
      });
      // explain() escapes each tenant string it quotes; this is the last guard before the terminal.
      process.stdout.write(printableLines(explain(result, snapshot!, { user: flags.user, account: flags.account, permissionSet: flags.permissionSet })));
      setExit(0);
    });
}
