// jitaudit init [--out FILE] [--force]: a commented starter config. Every key the tool has a default for
// is written with it (so the file loads and audits as it is); what only the user knows (tenant, Identity
// Center Region, breakglass users) is a commented-out line marked FILL IN, never a made-up value that
// would be used: a placeholder tenant or Region would send the collector to the wrong place.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { CONFIG_DEFAULTS, ConfigSchema, DEFAULT_ENVIRONMENTS, DEFAULT_TIERS, DURATION_NOTE } from '../model/config.js';
import { DURATION_EXPECTED } from '../util/duration.js';
import { inputError } from '../util/errors.js';
import { printable } from '../util/printable.js';

export const DEFAULT_CONFIG_FILE = 'jitaudit.config.yaml';

/** Where the installed package keeps the config schema (package.json "files" ships schemas/). */
const PACKAGE_SCHEMA = ['node_modules', 'jitaudit', 'schemas', 'config.schema.json'];

/**
 * The schema for the yaml-language-server modeline, relative to the config file (editors resolve it from
 * there): the nearest installed jitaudit package above the file, else where `npm install -D jitaudit`
 * beside it would put it. No URL: none is published for the schema yet.
 */
export function schemaReference(configFile: string): string {
  const dir = dirname(resolve(configFile));
  let found = join(dir, ...PACKAGE_SCHEMA);
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, ...PACKAGE_SCHEMA);
    if (existsSync(candidate)) {
      found = candidate;
      break;
    }
    if (dirname(d) === d) break;
  }
  const path = relative(dir, found).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** The schema's description of a config key (the comment above it): one source for editors and this file. */
function about(...keys: string[]): string {
  let schema = ConfigSchema as unknown as { properties?: Record<string, unknown>; description?: string };
  for (const key of keys) schema = schema.properties![key] as typeof schema;
  if (!schema?.description) throw new Error(`config schema: no description at /${keys.join('/')}`);
  // Said once in the header, not at every duration key.
  return schema.description.replace(DURATION_NOTE, '');
}

/** A value as one line of flow YAML. */
const flow = (value: unknown) => stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim();

/** A map of matchers (environments, tiers) in block style, one matcher a line. */
function matcherMap(map: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(map).flatMap(([name, matchers]) => [
    `  ${name}:`,
    ...Object.entries(matchers).map(([key, value]) => `    ${key}: ${flow(value)}`),
  ]);
}

/** The starter config's text; `schema` is the modeline's schema reference. */
export function starterConfig(schema: string): string {
  const d = CONFIG_DEFAULTS;
  const lines = [
    `# yaml-language-server: $schema=${schema}`,
    '# jitaudit config: what no API can tell the auditor. Every key is optional; the values written here',
    '# are the defaults. Lines marked FILL IN need your values: uncomment them and set them.',
    '# The $schema above is the installed package\'s copy (no URL is published for it yet); it gives',
    '# editors that use yaml-language-server (VS Code\'s YAML extension) completion and checks.',
    `# Each duration is ${DURATION_EXPECTED}.`,
    '',
    `# ${about('entra')}`,
    'entra:',
    `  # ${about('entra', 'tenantId')}`,
    '  # tenantId: 00000000-0000-0000-0000-000000000000  # FILL IN',
    `  # ${about('entra', 'graphBaseUrl')}`,
    `  graphBaseUrl: ${flow(d.graphBaseUrl)}`,
    `  # ${about('entra', 'enterpriseApp')}`,
    '  enterpriseApp:',
    `    # ${about('entra', 'enterpriseApp', 'displayName')}`,
    `    displayName: ${flow(d.enterpriseAppDisplayName)}`,
    `    # ${about('entra', 'enterpriseApp', 'appId')}`,
    '    # appId: 00000000-0000-0000-0000-000000000000',
    `    # ${about('entra', 'enterpriseApp', 'servicePrincipalId')}`,
    '    # servicePrincipalId: 00000000-0000-0000-0000-000000000000',
    `  # ${about('entra', 'activationLookback')}`,
    `  activationLookback: ${d.activationLookback}`,
    '',
    `# ${about('aws')}`,
    'aws:',
    `  # ${about('aws', 'identityCenterRegion')}`,
    '  # identityCenterRegion: eu-west-1  # FILL IN',
    `  # ${about('aws', 'memberAccountRoleName')}`,
    `  memberAccountRoleName: ${flow(d.memberAccountRoleName)}`,
    `  # ${about('aws', 'portalSessionDuration')}`,
    '  # portalSessionDuration: PT8H',
    `  # ${about('aws', 'cloudTrailLookback')}`,
    `  cloudTrailLookback: ${d.cloudTrailLookback}`,
    `  # ${about('aws', 'cloudTrailRegions')}`,
    '  cloudTrailRegions: []',
    `  # ${about('aws', 'resourcePolicyRegions')}`,
    '  # resourcePolicyRegions: [eu-west-1]',
    `  # ${about('aws', 'resourcePolicyAccounts')}`,
    "  # resourcePolicyAccounts: ['111111111111']",
    '',
    `# ${about('environments')}`,
    'environments:',
    ...matcherMap(DEFAULT_ENVIRONMENTS),
    `# ${about('defaultEnvironment')}`,
    `defaultEnvironment: ${flow(d.defaultEnvironment)}`,
    '',
    `# ${about('permissionSetTiers')}`,
    'permissionSetTiers:',
    ...matcherMap(DEFAULT_TIERS),
    `# ${about('defaultTier')}`,
    `defaultTier: ${flow(d.defaultTier)}`,
    '',
    `# ${about('breakglass')}`,
    'breakglass:',
    `  # ${about('breakglass', 'users')}`,
    '  # FILL IN: list yours in place of [], e.g.',
    '  #   - {account: "123456789012", userName: breakglass-1, drills: [{at: 2026-01-15, ticket: CHG-1, kind: drill}]}',
    '  users: []',
    `  # ${about('breakglass', 'root')} E.g.`,
    '  #   - {account: "123456789012", drills: [{at: 2026-01-15, ticket: INC-1, kind: incident}]}',
    '  root: []',
    '',
    `# ${about('scim')}`,
    'scim:',
    `  # ${about('scim', 'assumedLag')}`,
    `  assumedLag: ${d.assumedLag}`,
    `  # ${about('scim', 'unhealthyAfter')}`,
    `  unhealthyAfter: ${d.unhealthyAfter}`,
    '',
    `# ${about('rules')}`,
    'rules:',
    `  # ${about('rules', 'params')}`,
    '  params: {}',
    `  # ${about('rules', 'disabled')}`,
    '  disabled: []',
    '',
    `# ${about('waivers')} E.g.`,
    '#   - {rule: direct-user-assignment, resource: "direct-assignment:auditor@example.com:*", reason: FY26 audit, owner: security@example.com, expires: 2027-01-31}',
    'waivers: []',
  ];
  return `${lines.join('\n')}\n`;
}

interface InitFlags {
  out: string;
  force?: boolean;
}

export function initCommand(setExit: (code: number) => void): Command {
  return new Command('init')
    .description('Write a commented starter config: every key with its default, FILL IN lines for what only you know.')
    .addOption(new Option('--out <file>', 'where to write it').default(DEFAULT_CONFIG_FILE))
    .addOption(new Option('--force', 'overwrite the file if it exists'))
    .addHelpText('after', '\nExit codes: 0 written, 2 the file exists (without --force) or cannot be written.')
    .action((flags: InitFlags) => {
      const text = starterConfig(schemaReference(flags.out));
      try {
        // 'wx' refuses an existing file in the same call that creates it: no check-then-write race.
        writeFileSync(flags.out, text, { flag: flags.force ? 'w' : 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw inputError(flags.out, null, 'already exists; --force overwrites it');
        const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot write (${code ?? 'error'})`;
        throw inputError(flags.out, null, why);
      }
      process.stderr.write(`jitaudit: wrote ${printable(flags.out)}; set the lines marked FILL IN, then \`jitaudit collect --config ${printable(flags.out)}\`\n`);
      setExit(0);
    });
}
