// jitaudit collect [--out FILE] [--config FILE] [--only entra|aws] [--tenant ID] [--profile NAME] [--region REGION] [--quiet]
import { Command, Option } from 'commander';
import { createProgress } from '../collect/progress.js';
import type { Half } from '../collect/collectors.js';
import { configFrom, configOption } from './shared-options.js';

interface CollectFlags {
  out: string;
  config?: string;
  only?: Half;
  tenant?: string;
  profile?: string;
  region?: string;
  quiet?: boolean;
}

export function collectCommand(setExit: (code: number) => void): Command {
  return new Command('collect')
    .description('Snapshot Entra ID and AWS, read-only, into one JSON file for `jitaudit audit`.')
    .addOption(new Option('--out <file>', 'where to write the snapshot').default('snapshot.json'))
    .addOption(configOption())
    .addOption(new Option('--only <half>', 'collect one side only; the other is marked missing').choices(['entra', 'aws']))
    .addOption(new Option('--tenant <id>', 'Entra tenant id (overrides entra.tenantId)'))
    .addOption(new Option('--profile <name>', 'AWS profile (shared config/credentials, sso-session included)'))
    .addOption(new Option('--region <region>', 'Identity Center home region (overrides aws.identityCenterRegion)'))
    .addOption(new Option('-q, --quiet', 'no progress on stderr'))
    .addHelpText('after', '\nExit codes: 0 snapshot written (sections that could not be read are marked missing), 2 usage/config error, or nothing at all could be read from a cloud (the line says what fixes it; nothing written), 3 internal error.')
    .action(async (flags: CollectFlags) => {
      const progress = createProgress({ quiet: flags.quiet === true });
      try {
        // Loaded here, not with the command line: the SDKs take a quarter of a second that the
        // commands that audit would pay for nothing.
        const { collectSnapshot, writeSnapshot } = await import('../collect/collect.js');
        const snapshot = await collectSnapshot({
          config: configFrom(flags),
          only: flags.only ?? null,
          out: flags.out,
          progress,
          ...(flags.tenant ? { tenant: flags.tenant } : {}),
          ...(flags.profile ? { profile: flags.profile } : {}),
          ...(flags.region ? { region: flags.region } : {}),
        });
        writeSnapshot(flags.out, snapshot);
      } finally {
        progress.close();
      }
      setExit(0);
    });
}
