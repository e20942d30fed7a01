// jitaudit collect [--out FILE] [--config FILE] [--only entra|aws] [--tenant ID] [--profile NAME] [--region REGION] [--quiet]
import { Command, Option } from 'commander';
import { createProgress } from '../collect/progress.js';
import type { Half } from '../collect/collectors.js';
import { COMMON_ENV, configFrom, configOption, environmentHelp, type EnvVar } from './shared-options.js';

/** What `collect` reads from the environment, for --help (a test holds it to the source). */
export const COLLECT_ENV: readonly EnvVar[] = [
  ['JITAUDIT_GRAPH_TOKEN', 'a Microsoft Graph bearer token, used as it is (instead of DefaultAzureCredential)'],
  ['JITAUDIT_GRAPH_BASE_URL', 'the Graph base URL (national clouds); overrides entra.graphBaseUrl'],
  ['AZURE_*', 'DefaultAzureCredential: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_FEDERATED_TOKEN_FILE…'],
  ['AWS_*', "the AWS SDK's default chain: AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_ROLE_ARN, AWS_ENDPOINT_URL…"],
  ['AWS_MAX_ATTEMPTS', 'attempts per AWS call, retries included (default 8)'],
  ['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', "true: no NodeVersionSupportWarning from the AWS SDK on Node.js 20"],
  ['JITAUDIT_GRAPH_TIME_SCALE', 'tests against a fake Graph: its rate limits and waits run this many times faster (≥ 1)'],
  ['JITAUDIT_RATE_SCALE', 'tests against a fake AWS: its rate limits and waits run this many times faster'],
  ...COMMON_ENV,
];

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
    .addHelpText(
      'after',
      `\nExit codes: 0 snapshot written (sections that could not be read are marked missing), 2 usage/config error, or nothing at all could be read from a cloud (the line says what fixes it; nothing written), 3 internal error.\n${environmentHelp(COLLECT_ENV)}`,
    )
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
