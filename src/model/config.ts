// jitaudit.config.yaml: its schema, its defaults, and loading. Every key is optional.
import { createHash } from 'node:crypto';
import { Type as T, type Static } from '@sinclair/typebox';
import { describeAjvError, validatorFor } from '../util/ajv.js';
import { inputError } from '../util/errors.js';
import { parseYaml, readText } from '../util/read-input.js';
import { describeUnknownKey, IsoDuration, Obj, StringEnum } from './schema-helpers.js';
import { DURATION_EXPECTED } from '../util/duration.js';
import { canonicalJson } from '../util/canonical-json.js';
import { checkDurations } from './snapshot-checks.js';

/** A string that must say something: an empty glob, name or id would match nothing, silently. */
const Text = (options: { description?: string; default?: string } = {}) => T.String({ minLength: 1, ...options });
/**
 * A glob (src/util/glob.ts makes it a regular expression): bounded, since one of 32 KiB makes a
 * regular expression V8 cannot build. Far longer than any OU path, account or permission-set name.
 */
const Glob = (options: { description?: string } = {}) => T.String({ minLength: 1, maxLength: 1024, ...options });
/** Record keys must be names (the pattern); without additionalProperties, other keys went unchecked. */
const Names = { additionalProperties: false } as const;

const Matchers = Obj({
  ouPaths: T.Optional(T.Array(Glob(), { description: 'Globs over the OU path, e.g. "Root/Prod/**".' })),
  tags: T.Optional(
    T.Record(T.String({ pattern: '^.+$' }), T.Union([T.String(), T.Array(T.String())]), {
      ...Names,
      description: 'Account tags: key -> value, or a list of values any of which matches.',
    }),
  ),
  accountNames: T.Optional(T.Array(Glob(), { description: 'Globs over the account name.' })),
  accountIds: T.Optional(T.Array(T.String({ pattern: '^\\d{12}$' }), { description: '12-digit AWS account ids.' })),
});

const TierMatchers = Obj({
  managedPolicies: T.Optional(T.Array(Text(), { description: 'AWS-managed policy ARNs (or names).' })),
  customerManagedPolicies: T.Optional(T.Array(Glob(), { description: 'Customer-managed policy names (globs).' })),
  names: T.Optional(T.Array(Glob(), { description: 'Permission-set name globs.' })),
  inlineAdmin: T.Optional(
    T.Boolean({ description: 'Match an inline policy that allows "*" or "iam:*" on "*".', default: false }),
  ),
});

export const DEFAULT_ENVIRONMENTS: Record<string, Static<typeof Matchers>> = {
  prod: {
    ouPaths: ['**/prod', '**/prod/**', '**/production', '**/production/**'],
    tags: { environment: ['prod', 'production'], env: ['prod', 'production'] },
    accountNames: ['*-prod', '*-prod-*', 'prod-*', '*-production', '*-production-*', 'production-*'],
  },
};

export const DEFAULT_TIERS: Record<string, Static<typeof TierMatchers>> = {
  admin: {
    managedPolicies: [
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws:iam::aws:policy/IAMFullAccess',
    ],
    inlineAdmin: true,
  },
  'read-only': {
    managedPolicies: [
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      'arn:aws:iam::aws:policy/SecurityAudit',
    ],
  },
};

const DateOnly = (description: string) => T.String({ format: 'date', description });
const AccountId = (description: string) => T.String({ pattern: '^\\d{12}$', description });

/** Days a breakglass credential was used on purpose: a drill or an incident, with its ticket. */
const Drills = (description: string) =>
  T.Array(
    Obj({
      at: DateOnly('The day (UTC), YYYY-MM-DD.'),
      ticket: Text({ description: 'The change or incident ticket.' }),
      kind: T.Optional(StringEnum(['drill', 'incident'], { description: 'A planned drill or a real incident.', default: 'drill' })),
    }),
    { description },
  );

/** The values every optional key takes when the config leaves it out (resolveConfig, the schema's `default`s). */
export const CONFIG_DEFAULTS = {
  activationLookback: 'P30D',
  cloudTrailLookback: 'P90D',
  defaultEnvironment: 'non-prod',
  defaultTier: 'standard',
  assumedLag: 'PT40M',
  unhealthyAfter: 'PT2H',
  // The collectors' own constants (DEFAULT_MEMBER_ROLE, DEFAULT_GRAPH_BASE_URL, DEFAULT_APP_DISPLAY_NAME)
  // live beside the SDKs, which the config must not load; a test keeps these equal to them.
  memberAccountRoleName: 'JitAuditReadOnly',
  graphBaseUrl: 'https://graph.microsoft.com/v1.0',
  enterpriseAppDisplayName: 'AWS IAM Identity Center (successor to AWS Single Sign-On)',
} as const;

/** What every duration key's description ends with: editors show it where the key is typed. */
export const DURATION_NOTE = ` ${DURATION_EXPECTED[0]!.toUpperCase()}${DURATION_EXPECTED.slice(1)}.`;
const duration = (what: string) => `${what}${DURATION_NOTE}`;

export const ConfigSchema = Obj(
  {
    entra: T.Optional(
      Obj(
        {
          tenantId: T.Optional(Text({ description: 'The Entra tenant id (a GUID) or a verified domain; `collect --tenant` overrides it, else AZURE_TENANT_ID.' })),
          graphBaseUrl: T.Optional(
            T.String({
              format: 'uri',
              description: 'The Microsoft Graph endpoint with its version (national clouds); JITAUDIT_GRAPH_BASE_URL overrides it.',
              default: CONFIG_DEFAULTS.graphBaseUrl,
            }),
          ),
          enterpriseApp: T.Optional(
            Obj(
              {
                appId: T.Optional(Text({ description: "The AWS enterprise app's application (client) id." })),
                servicePrincipalId: T.Optional(Text({ description: "The AWS enterprise app's service principal (object) id; wins over appId and displayName." })),
                displayName: T.Optional(Text({ description: "The AWS enterprise app's display name, when it is the only one so named.", default: CONFIG_DEFAULTS.enterpriseAppDisplayName })),
              },
              { description: 'Which enterprise app provisions AWS IAM Identity Center (SCIM).' },
            ),
          ),
          activationLookback: T.Optional(IsoDuration(duration('How far back PIM activation history is collected.'), { default: CONFIG_DEFAULTS.activationLookback })),
        },
        { description: 'Entra ID (Microsoft Graph): where and what to collect.' },
      ),
    ),
    aws: T.Optional(
      Obj(
        {
          identityCenterRegion: T.Optional(Text({ description: 'The IAM Identity Center home Region, e.g. eu-west-1; `collect --region` overrides it.' })),
          memberAccountRoleName: T.Optional(Text({ description: 'The read-only role collect assumes in every member account.', default: CONFIG_DEFAULTS.memberAccountRoleName })),
          // No `default`: declaring the AWS default is not the same as leaving it out (the report says
          // "declared" or "AWS default assumed"), and an editor would insert a default.
          portalSessionDuration: T.Optional(
            IsoDuration(duration('The access-portal session, 15 min to 90 days: no AWS API exposes it; when left out the AWS default (PT8H) is assumed and the report says so.')),
          ),
          cloudTrailLookback: T.Optional(IsoDuration(duration('How far back CloudTrail events are looked up (LookupEvents holds at most 90 days).'), { default: CONFIG_DEFAULTS.cloudTrailLookback })),
          cloudTrailRegions: T.Optional(
            T.Array(T.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$' }), {
              uniqueItems: true,
              description:
                'More Regions to search CloudTrail for root and breakglass events (Regional sign-in endpoints, Regions with workloads); us-east-1, us-east-2, eu-north-1, ap-southeast-2 and the Identity Center Region are always searched for breakglass users, us-east-1 and the Identity Center Region for root.',
              default: [],
            }),
          ),
          resourcePolicyRegions: T.Optional(
            T.Array(T.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$' }), {
              uniqueItems: true,
              description:
                'Regions whose Lambda function policies and API Gateway REST API policies are read, for those that let an Identity Center role (AWSReservedSSO_*) or anyone in; left out, they are not read.',
            }),
          ),
          resourcePolicyAccounts: T.Optional(
            T.Array(T.String({ pattern: '^\\d{12}$' }), {
              uniqueItems: true,
              description: 'The accounts whose resource policies are read (with resourcePolicyRegions); left out, every active account.',
            }),
          ),
        },
        { description: 'AWS (Organizations, IAM Identity Center, IAM, CloudTrail): where and what to collect.' },
      ),
    ),
    environments: T.Optional(
      T.Record(T.String({ pattern: '^[a-z][a-z0-9-]*$' }), Matchers, {
        ...Names,
        description: 'How accounts are classified; the first environment that matches wins. Setting it replaces the default map.',
        default: DEFAULT_ENVIRONMENTS,
      }),
    ),
    defaultEnvironment: T.Optional(Text({ description: 'The environment of an account no entry of environments matches.', default: CONFIG_DEFAULTS.defaultEnvironment })),
    permissionSetTiers: T.Optional(
      T.Record(T.String({ pattern: '^[a-z][a-z0-9-]*$' }), TierMatchers, {
        ...Names,
        description: 'How permission sets are tiered; the first tier that matches wins. Setting it replaces the default map.',
        default: DEFAULT_TIERS,
      }),
    ),
    defaultTier: T.Optional(
      Text({ description: 'The tier of a permission set no entry of permissionSetTiers matches (raised to admin when its policies let it make itself admin).', default: CONFIG_DEFAULTS.defaultTier }),
    ),
    breakglass: T.Optional(
      Obj(
        {
          users: T.Optional(
            T.Array(
              Obj({
                account: AccountId('The account the IAM user is in.'),
                userName: Text({ description: 'The IAM user name.' }),
                drills: T.Optional(Drills('Days this user was used on purpose.')),
              }),
              { description: 'The breakglass IAM users: any use not declared as a drill or incident is a finding.', default: [] },
            ),
          ),
          root: T.Optional(
            T.Array(
              Obj({ account: AccountId("The account whose root user it is."), drills: Drills("Days the account's root user was used on purpose.") }),
              { description: "Days an account's root user was used on purpose, per account.", default: [] },
            ),
          ),
        },
        { description: 'Emergency access outside PIM, and the days it was used on purpose.' },
      ),
    ),
    scim: T.Optional(
      Obj(
        {
          assumedLag: T.Optional(IsoDuration(duration('The SCIM lag used when the provisioning job could not be read.'), { default: CONFIG_DEFAULTS.assumedLag })),
          unhealthyAfter: T.Optional(IsoDuration(duration('A job with no successful run for this long is unhealthy.'), { default: CONFIG_DEFAULTS.unhealthyAfter })),
        },
        { description: 'SCIM provisioning from Entra to IAM Identity Center.' },
      ),
    ),
    rules: T.Optional(
      Obj(
        {
          params: T.Optional(
            T.Record(T.String(), T.Record(T.String(), T.Unknown()), {
              description: "Rule parameters by rule id, e.g. {effective-window-too-long: {maxWindow: PT6H}} (`jitaudit rules list --json` lists each rule's).",
              default: {},
            }),
          ),
          disabled: T.Optional(T.Array(Text(), { description: 'Rule ids that do not run.', default: [] })),
        },
        { description: 'The rule pack: parameter overrides and disabled rules.' },
      ),
    ),
    waivers: T.Optional(
      T.Array(
        Obj({
          rule: Text({ description: 'The rule id.' }),
          resource: Text({ description: "The finding's object, by id or name (report.json findings[].object), exactly or as a glob (* any run, ? one character); a glob naming every access path of a finding by path id waives it too." }),
          reason: T.String({ minLength: 1, description: 'Why the finding is accepted (shown in every report).' }),
          owner: T.String({ minLength: 1, description: 'Who accepted it.' }),
          expires: DateOnly('The last day (UTC) the waiver works, YYYY-MM-DD; after it the waiver-expired rule reports it.'),
        }),
        { description: 'Accepted findings: still reported, marked waived, and not counted by the gate.', default: [] },
      ),
    ),
  },
  { $id: 'urn:jitaudit:schema:config:1', title: 'jitaudit config', description: 'jitaudit.config.yaml: every key is optional.' },
);

export type ConfigFile = Static<typeof ConfigSchema>;
export type EnvironmentMatchers = Static<typeof Matchers>;
export type TierMatchersT = Static<typeof TierMatchers>;

/** The config with every default filled in: what the rest of the code reads. */
export interface Config {
  /** How reports and errors name the config file; null when there is none. */
  file: string | null;
  /** Where to read it again (for locations in SARIF). */
  path: string | null;
  digest: string;
  portalSessionDuration: { value: string; explicit: boolean };
  /** How far back PIM activation history is collected (and so can be matched). */
  activationLookback: string;
  /** How far back CloudTrail events are looked up (LookupEvents holds at most 90 days). */
  cloudTrailLookback: string;
  environments: Record<string, EnvironmentMatchers>;
  defaultEnvironment: string;
  permissionSetTiers: Record<string, TierMatchersT>;
  defaultTier: string;
  breakglass: NonNullable<NonNullable<ConfigFile['breakglass']>['users']>;
  /** Root users' declared drills and incidents, per account. */
  breakglassRoot: NonNullable<NonNullable<ConfigFile['breakglass']>['root']>;
  scim: { assumedLag: string; unhealthyAfter: string };
  ruleParams: Record<string, Record<string, unknown>>;
  disabledRules: string[];
  waivers: NonNullable<ConfigFile['waivers']>;
  raw: ConfigFile;
}

export const AWS_DEFAULT_PORTAL_SESSION = 'PT8H';

export function resolveConfig(raw: ConfigFile, file: string | null): Config {
  return {
    file,
    path: file,
    digest: createHash('sha256').update(canonicalJson(raw)).digest('hex'),
    portalSessionDuration: {
      value: raw.aws?.portalSessionDuration ?? AWS_DEFAULT_PORTAL_SESSION,
      explicit: raw.aws?.portalSessionDuration !== undefined,
    },
    activationLookback: raw.entra?.activationLookback ?? CONFIG_DEFAULTS.activationLookback,
    cloudTrailLookback: raw.aws?.cloudTrailLookback ?? CONFIG_DEFAULTS.cloudTrailLookback,
    environments: raw.environments ?? DEFAULT_ENVIRONMENTS,
    defaultEnvironment: raw.defaultEnvironment ?? CONFIG_DEFAULTS.defaultEnvironment,
    permissionSetTiers: raw.permissionSetTiers ?? DEFAULT_TIERS,
    defaultTier: raw.defaultTier ?? CONFIG_DEFAULTS.defaultTier,
    breakglass: raw.breakglass?.users ?? [],
    breakglassRoot: raw.breakglass?.root ?? [],
    scim: {
      assumedLag: raw.scim?.assumedLag ?? CONFIG_DEFAULTS.assumedLag,
      unhealthyAfter: raw.scim?.unhealthyAfter ?? CONFIG_DEFAULTS.unhealthyAfter,
    },
    ruleParams: raw.rules?.params ?? {},
    disabledRules: raw.rules?.disabled ?? [],
    waivers: raw.waivers ?? [],
    raw,
  };
}

/** `display` is how errors and reports name the file (default: the path as given). */
export function loadConfig(file: string | null, display: string | null = file): Config {
  if (file === null) return resolveConfig({}, null);
  const name = display ?? file;
  const value = parseYaml(name, readText(file)) ?? {};
  const validate = validatorFor<ConfigFile>(ConfigSchema);
  if (!validate(value)) {
    const error = validate.errors![0]!;
    const { pointer, message } = error.keyword === 'additionalProperties' ? describeUnknownKey(error, ConfigSchema) : describeAjvError(error);
    throw inputError(name, pointer, message);
  }
  // The duration pattern admits years and months, which have no fixed length: refused here, at
  // their pointer, rather than by the first rule that adds them up.
  checkDurations(name, ConfigSchema, value);
  return { ...resolveConfig(value, name), path: file };
}
