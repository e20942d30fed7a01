// jitaudit.config.yaml: its schema, its defaults, and loading. Every key is optional.
import { createHash } from 'node:crypto';
import { Type as T, type Static } from '@sinclair/typebox';
import { describeAjvError, validatorFor } from '../util/ajv.js';
import { inputError } from '../util/errors.js';
import { parseYaml, readText } from '../util/read-input.js';
import { IsoDuration, Obj } from './schema-helpers.js';
import { canonicalJson } from '../util/canonical-json.js';
import { checkDurations } from './snapshot-checks.js';

/** A string that must say something: an empty glob, name or id would match nothing, silently. */
const Text = (options: { description?: string } = {}) => T.String({ minLength: 1, ...options });
/**
 * A glob (src/util/glob.ts makes it a regular expression): bounded, since one of 32 KiB makes a
 * regular expression V8 cannot build. Far longer than any OU path, account or permission-set name.
 */
const Glob = (options: { description?: string } = {}) => T.String({ minLength: 1, maxLength: 1024, ...options });
/** Record keys must be names (the pattern); without additionalProperties, other keys went unchecked. */
const Names = { additionalProperties: false } as const;

const Matchers = Obj({
  ouPaths: T.Optional(T.Array(Glob(), { description: 'Globs over the OU path, e.g. "Root/Prod/**".' })),
  tags: T.Optional(T.Record(T.String({ pattern: '^.+$' }), T.Union([T.String(), T.Array(T.String())]), Names)),
  accountNames: T.Optional(T.Array(Glob(), { description: 'Globs over the account name.' })),
  accountIds: T.Optional(T.Array(T.String({ pattern: '^\\d{12}$' }))),
});

const TierMatchers = Obj({
  managedPolicies: T.Optional(T.Array(Text(), { description: 'AWS-managed policy ARNs (or names).' })),
  customerManagedPolicies: T.Optional(T.Array(Glob(), { description: 'Customer-managed policy names (globs).' })),
  names: T.Optional(T.Array(Glob(), { description: 'Permission-set name globs.' })),
  inlineAdmin: T.Optional(
    T.Boolean({ description: 'Match an inline policy that allows "*" or "iam:*" on "*".' }),
  ),
});

const DateOnly = T.String({ format: 'date' });

/** Days a breakglass credential was used on purpose: a drill or an incident, with its ticket. */
const Drills = T.Array(
  Obj({
    at: DateOnly,
    ticket: Text(),
    kind: T.Optional(T.Union([T.Literal('drill'), T.Literal('incident')])),
  }),
);

export const ConfigSchema = Obj(
  {
    entra: T.Optional(
      Obj({
        tenantId: T.Optional(Text()),
        graphBaseUrl: T.Optional(T.String({ format: 'uri' })),
        enterpriseApp: T.Optional(
          Obj({
            appId: T.Optional(Text()),
            servicePrincipalId: T.Optional(Text()),
            displayName: T.Optional(Text()),
          }),
        ),
        activationLookback: T.Optional(IsoDuration()),
      }),
    ),
    aws: T.Optional(
      Obj({
        identityCenterRegion: T.Optional(Text()),
        memberAccountRoleName: T.Optional(Text()),
        portalSessionDuration: T.Optional(IsoDuration('The access-portal session: 15 min to 90 days.')),
        cloudTrailLookback: T.Optional(IsoDuration()),
        cloudTrailRegions: T.Optional(
          T.Array(T.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$' }), {
            uniqueItems: true,
            description:
              'More Regions to search CloudTrail for root and breakglass events (Regional sign-in endpoints, Regions with workloads); us-east-1, us-east-2, eu-north-1, ap-southeast-2 and the Identity Center Region are always searched for breakglass users, us-east-1 and the Identity Center Region for root.',
          }),
        ),
      }),
    ),
    environments: T.Optional(
      T.Record(T.String({ pattern: '^[a-z][a-z0-9-]*$' }), Matchers, {
        ...Names,
        description: 'How accounts are classified; the first environment that matches wins.',
      }),
    ),
    defaultEnvironment: T.Optional(Text()),
    permissionSetTiers: T.Optional(
      T.Record(T.String({ pattern: '^[a-z][a-z0-9-]*$' }), TierMatchers, {
        ...Names,
        description: 'How permission sets are tiered; the first tier that matches wins.',
      }),
    ),
    defaultTier: T.Optional(Text()),
    breakglass: T.Optional(
      Obj({
        users: T.Optional(
          T.Array(
            Obj({
              account: T.String({ pattern: '^\\d{12}$' }),
              userName: Text(),
              drills: T.Optional(Drills),
            }),
          ),
        ),
        root: T.Optional(
          T.Array(
            Obj({ account: T.String({ pattern: '^\\d{12}$' }), drills: Drills }, { description: "Days an account's root user was used on purpose." }),
          ),
        ),
      }),
    ),
    scim: T.Optional(
      Obj({
        assumedLag: T.Optional(IsoDuration('The SCIM lag used when the provisioning job could not be read.')),
        unhealthyAfter: T.Optional(IsoDuration('A job with no successful run for this long is unhealthy.')),
      }),
    ),
    rules: T.Optional(
      Obj({
        params: T.Optional(T.Record(T.String(), T.Record(T.String(), T.Unknown()))),
        disabled: T.Optional(T.Array(Text())),
      }),
    ),
    waivers: T.Optional(
      T.Array(
        Obj({
          rule: Text(),
          resource: Text({ description: "The finding's object, by id or name (report.json findings[].object), exactly or as a glob (* any run, ? one character); a glob naming every access path of a finding by path id waives it too." }),
          reason: T.String({ minLength: 1 }),
          owner: T.String({ minLength: 1 }),
          expires: DateOnly,
        }),
      ),
    ),
  },
  { $id: 'urn:jitaudit:schema:config:1', title: 'jitaudit config' },
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

export const DEFAULT_ENVIRONMENTS: Record<string, EnvironmentMatchers> = {
  prod: {
    ouPaths: ['**/prod', '**/prod/**', '**/production', '**/production/**'],
    tags: { environment: ['prod', 'production'], env: ['prod', 'production'] },
    accountNames: ['*-prod', '*-prod-*', 'prod-*', '*-production', '*-production-*', 'production-*'],
  },
};

export const DEFAULT_TIERS: Record<string, TierMatchersT> = {
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
    activationLookback: raw.entra?.activationLookback ?? 'P30D',
    cloudTrailLookback: raw.aws?.cloudTrailLookback ?? 'P90D',
    environments: raw.environments ?? DEFAULT_ENVIRONMENTS,
    defaultEnvironment: raw.defaultEnvironment ?? 'non-prod',
    permissionSetTiers: raw.permissionSetTiers ?? DEFAULT_TIERS,
    defaultTier: raw.defaultTier ?? 'standard',
    breakglass: raw.breakglass?.users ?? [],
    breakglassRoot: raw.breakglass?.root ?? [],
    scim: { assumedLag: raw.scim?.assumedLag ?? 'PT40M', unhealthyAfter: raw.scim?.unhealthyAfter ?? 'PT2H' },
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
    const { pointer, message } = describeAjvError(validate.errors![0]!);
    throw inputError(name, pointer, message);
  }
  // The duration pattern admits years and months, which have no fixed length: refused here, at
  // their pointer, rather than by the first rule that adds them up.
  checkDurations(name, ConfigSchema, value);
  return { ...resolveConfig(value, name), path: file };
}
