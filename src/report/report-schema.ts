// The JSON Schema of report.json version 2, published as schemas/report.schema.json (a test checks
// the demo's and the benchmark's reports against it). report.json is what users' scripts read: a
// change here is a change of contract.
import { Type as T } from '@sinclair/typebox';
import { IsoDuration, Nullable, Obj, Timestamp } from '../model/schema-helpers.js';
import { PATH_KINDS } from '../analyze/types.js';
import { SEVERITIES } from '../rules/rule-schema.js';
import { PATH_OBJECT_KINDS } from '../rules/path-object-kinds.js';

const Severity = T.Union(SEVERITIES.map((s) => T.Literal(s)));
const Count = T.Integer({ minimum: 0 });
const Status = T.Union([T.Literal('failed'), T.Literal('not-evaluable'), T.Literal('passed')]);

const Term = Obj({
  value: Nullable(IsoDuration()),
  unbounded: T.Boolean(),
  provenance: Obj({
    status: T.Union([T.Literal('collected'), T.Literal('declared'), T.Literal('default'), T.Literal('missing')]),
    source: T.String({ description: 'Where the value came from, in words.' }),
  }),
});

const Window = Obj(
  {
    total: Nullable(IsoDuration('A + L + P + S; null when a term is unbounded or unknown.')),
    totalSeconds: Nullable(T.Number({ minimum: 0 })),
    unbounded: T.Boolean(),
    known: T.Boolean(),
    terms: Obj({ activation: Term, scimLag: Term, portalSession: Term, permissionSetSession: Term }),
  },
  { description: 'The effective access window of a JIT path: PIM activation + SCIM lag + portal session + permission-set session.' },
);

const Principal = T.Object(
  {
    upn: Nullable(T.String()),
    entraUserId: Nullable(T.String()),
    identityCenterUserId: Nullable(T.String()),
  },
  { description: 'A person; paths add what rules read of them (displayName, enabled, userType, mfaRegistered, identityCenterStatus).' },
);

/** The forms a list of paths is written in (sharedPaths holds these; a finding may also refer to one). */
const pathForms = () => [
  T.Array(Count),
  T.Literal('all'),
  T.Literal('jit'),
  Obj({ groups: T.Array(T.String(), { minItems: 1, description: 'Keys in groups.' }) }, { description: 'Every path through these groups (control-plane findings).' }),
  Obj({ except: T.Array(Count, { minItems: 1, description: 'Positions in accessPaths, in order.' }) }, { description: 'Every path but these (a finding that affects more than half of them).' }),
];

const Impact = Obj({
  paths: T.Union(
    [
      ...pathForms(),
      Obj({ shared: T.String({ description: 'Key in sharedPaths.' }) }, { description: 'A long list that several findings share, written once in sharedPaths.' }),
    ],
    {
      description:
        'The affected paths: positions in accessPaths, or "all" (every path), "jit" (every just-in-time path), {"groups": [...]} (every path whose grant goes through one of these groups), {"except": [...]} (every path but these positions: for a finding that affects most of them), or {"shared": "s1"} (the list in sharedPaths that several findings share).',
    },
  ),
  people: Count,
  accounts: Count,
  prodAccounts: Count,
  worstWindow: Nullable(
    T.Union([T.Literal('standing'), T.Literal('unbounded'), T.Literal('unknown'), IsoDuration()], {
      description: 'The worst window among the paths: standing (no end) > unbounded > unknown > the longest total.',
    }),
  ),
});

const Finding = Obj({
  ruleId: T.String(),
  severity: Severity,
  status: T.Union([T.Literal('open'), T.Literal('waived')]),
  object: Obj({ type: T.String(), id: T.String(), name: T.String() }, { description: 'What the finding is about: the thing to change.' }),
  account: T.Optional(T.String({ description: 'Key in accounts.' })),
  principal: T.Optional(T.String({ description: 'Key in principals.' })),
  message: T.String(),
  impact: T.Optional(Impact),
  evidence: T.Record(T.String(), T.Unknown()),
  fingerprint: T.String({ pattern: '^[0-9a-f]{32}$', description: 'sha256 of rule id + object type + object id: stable while the impact changes.' }),
  waiver: T.Optional(Obj({ reason: T.String(), owner: T.String(), expires: T.String() })),
});

const CredentialFetch = Obj(
  {
    eventId: T.String({ description: 'The CloudTrail event id.' }),
    eventTime: Timestamp(),
    eventName: T.String({ description: 'GetRoleCredentials or Federate.' }),
    principal: T.String({ description: 'Key in principals: the person the event names, through the identity store; as the event names them when not in it.' }),
    account: Nullable(T.String({ pattern: '^\\d{12}$', description: 'Key in accounts; null when the event names no account (or no account id: accountNamed).' })),
    accountNamed: T.Optional(T.String({ description: 'The account the event names, when it is not a 12-digit account id.' })),
    permissionSet: Nullable(T.String({ description: 'The permission set name the event names: a key in permissionSets when an access path reaches it.' })),
    succeeded: T.Boolean({ description: 'false: the call failed and fetched nothing.' }),
    attribution: T.Union(['attributed', 'unknown-user', 'unknown-target', 'no-path'].map((a) => T.Literal(a))),
    attributionProblem: Nullable(T.String({ description: 'Why the fetch could not be attributed.' })),
    standingAccess: T.Boolean({ description: 'Standing access to the account and permission set at the event time.' }),
    jitAccess: T.Boolean({ description: 'Eligible then, or PIM history in a group role that grants the target.' }),
    activationHistoryCovered: T.Boolean({ description: 'The PIM history reaches back to the event.' }),
    activation: Nullable(
      Obj(
        {
          requestId: T.String(),
          start: Timestamp(),
          end: Nullable(Timestamp()),
          endedBy: Nullable(T.Union([T.Literal('schedule'), T.Literal('deactivation'), T.Literal('policy-maximum')])),
        },
        { description: 'The last activation started by the event time in a group role that grants the target (it may have ended before the fetch).' },
      ),
    ),
    refusedRequest: Nullable(
      Obj(
        { requestId: T.String(), status: T.String(), start: Timestamp(), end: Nullable(Timestamp()) },
        { description: 'A denied, cancelled, failed or revoked activation request whose window holds the fetch.' },
      ),
    ),
    judgedAgainst: T.String({ description: 'What the judgement assumed: the PIM history at the event time, or current access (and why).' }),
  },
  { description: 'An Identity Center credential fetch (CloudTrail GetRoleCredentials or Federate) and how the audit judged it.' },
);

export const ReportSchema = Obj(
  {
    schemaVersion: T.Literal(2),
    tool: Obj({ name: T.String(), version: T.String() }),
    snapshot: Obj({ file: T.String(), sha256: T.String({ pattern: '^[0-9a-f]{64}$' }), collectedAt: Timestamp() }),
    summary: Obj({
      bySeverity: Obj(Object.fromEntries(SEVERITIES.map((s) => [s, Count])), { description: 'Open findings by severity.' }),
      byRule: T.Record(T.String(), Obj({ open: Count, waived: Count }), { description: 'Every enabled rule.' }),
      waived: Count,
      incomplete: T.Array(T.String(), { description: 'Snapshot sections that could not be collected.' }),
      gate: Obj({
        failOn: T.Union([Severity, T.Literal('none')]),
        passed: T.Boolean(),
        failing: Count,
        blockingIncomplete: T.Array(T.String()),
        allowIncomplete: T.Boolean(),
      }),
      accessPaths: Count,
      findings: Count,
      rules: Count,
      warnings: T.Array(T.String()),
    }),
    rules: T.Record(
      T.String(),
      Obj({
        title: T.String(),
        severity: Severity,
        resource: T.String(),
        object: T.Optional(T.Union(PATH_OBJECT_KINDS.map((k) => T.Literal(k)))),
        status: Status,
        open: Count,
        waived: Count,
        missing: T.Array(T.String()),
        remediation: T.String(),
        references: T.Array(Obj({ framework: T.String(), id: T.String(), url: T.Optional(T.String()) })),
      }),
      { description: 'Every enabled rule by id, with its outcome: failed (an open finding), not-evaluable (data it reads is missing), passed.' },
    ),
    controls: T.Array(
      Obj({
        framework: T.String(),
        failed: Count,
        notEvaluable: Count,
        passed: Count,
        controls: T.Array(Obj({ id: T.String(), status: Status, rules: T.Array(T.String()) })),
      }),
      { description: 'Per framework, each control the rules map to and its status.' },
    ),
    principals: T.Record(T.String(), Principal, { description: 'People by key (UPN, else Entra or Identity Center user id).' }),
    groups: T.Record(T.String(), T.Object({ name: T.String() }), { description: 'Groups by id (Entra, or Identity Center for unmanaged ones).' }),
    accounts: T.Record(T.String({ pattern: '^\\d{12}$' }), Obj({ name: T.String(), environment: T.String() })),
    permissionSets: T.Record(T.String(), Obj({ arn: T.String(), tier: T.String(), sessionDuration: IsoDuration() }), { description: 'By name.' }),
    windows: T.Record(T.String(), Window),
    grants: T.Array(
      Obj({
        kind: T.Union(PATH_KINDS.map((k) => T.Literal(k))),
        standing: T.Boolean(),
        principal: T.String({ description: 'Key in principals.' }),
        group: Nullable(T.String({ description: 'Key in groups.' })),
        schedule: T.Optional(Obj({ start: Nullable(T.String()), end: Nullable(T.String()), createdAt: Nullable(T.String()) }, { description: 'The eligibility or assignment schedule (PIM grants only).' })),
        activeUntil: T.Optional(T.String({ description: 'When a live activation or an active assignment ends.' })),
      }),
      {
        description:
          "One person's access through one group (or their direct assignments), whatever it reaches. A path's id is kind:principal:group:account:permissionSet (group - when null).",
      },
    ),
    accessPaths: T.Array(
      Obj({
        grant: T.Integer({ minimum: 0, description: 'Position in grants.' }),
        account: T.String({ description: 'Key in accounts.' }),
        permissionSet: T.String({ description: 'Key in permissionSets.' }),
        window: Nullable(T.String({ description: 'Key in windows; null for standing access.' })),
      }),
    ),
    sharedPaths: T.Optional(
      T.Record(T.String(), T.Union(pathForms()), {
        description: 'Lists of paths that several findings share, by key (s1, s2… in the order findings first name them): impact.paths {"shared": key} refers here (absent in reports made before it was added).',
      }),
    ),
    findings: T.Array(Finding, { description: 'One per object to change, most severe and widest impact first.' }),
    // Optional: reports written before the fetches were listed still read as last quarter's pack.
    credentialFetches: T.Optional(T.Array(CredentialFetch, { description: 'Every Identity Center credential fetch in the snapshot, oldest first, then by event id.' })),
  },
  { $id: 'urn:jitaudit:schema:report:2', title: 'jitaudit report.json' },
);
