// The format of a rule file, rules/<theme>/<id>.yaml.
import { Type as T, type Static } from '@sinclair/typebox';
import { Obj, StringEnum } from '../model/schema-helpers.js';
import { RESOURCE_TYPES } from './resource-types.js';
import { PATH_OBJECT_KINDS } from './path-object-kinds.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const Param = Obj({
  type: T.Union([T.Literal('duration'), T.Literal('int'), T.Literal('string'), T.Literal('bool'), T.Literal('list')]),
  default: T.Unknown(),
  description: T.String(),
});

const Reference = Obj({
  framework: T.String({ description: 'e.g. "NIST SP 800-53 Rev. 5", "CIS AWS Foundations 3.0", "ISO/IEC 27001:2022", "SOC 2".' }),
  id: T.String({ description: 'The control, e.g. "AC-2(3)".' }),
  url: T.Optional(T.String({ format: 'uri' })),
});

const TestCase = T.Record(T.String(), T.Unknown(), {
  description:
    'A patch merged onto the resource type\'s example item; the key "params" overrides parameters. A fail case may assert its finding: "message" (the exact rendered text, or {contains: text}; {{object.name}} renders as "example object") and "evidence" (the evidence, deep equal).',
});

export const RuleFileSchema = Obj(
  {
    id: T.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
    title: T.String({ minLength: 1, maxLength: 120 }),
    description: T.String({ minLength: 1 }),
    severity: T.Union(SEVERITIES.map((s) => T.Literal(s))),
    // The collections are the tool's own (src/rules/resource-types.ts): a rule pack cannot add one.
    resource: StringEnum(Object.keys(RESOURCE_TYPES), { description: 'The collection the rule iterates (docs/resources.md).' }),
    object: T.Optional(
      T.Union(PATH_OBJECT_KINDS.map((k) => T.Literal(k)), {
        description:
          'accessPaths rules only: what one finding is about, the thing a person changes — path (one finding per path, the default), grant (what gives the access: a group not under PIM or with no Entra source, else one person\'s membership, ownership, eligibility or active assignment, or a direct assignment), principal (the person), group, pimPolicy (group × member/owner), permissionSet, provisioningJob, assignee (the Identity Center user or group the account assignment names). The paths a rule matches are grouped by it.',
      }),
    ),
    when: T.String({ minLength: 1, description: 'CEL: true means the resource is a finding.' }),
    message: T.String({ minLength: 1, description: 'Template: {{resource.x}}, {{params.y}}, with | duration, | list.' }),
    remediation: T.String({ minLength: 1 }),
    references: T.Array(Reference, { minItems: 1 }),
    tags: T.Optional(T.Array(T.String())),
    evidence: T.Optional(T.Array(T.String(), { description: 'Dot paths of the resource kept as evidence (default: all).' })),
    params: T.Optional(T.Record(T.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]*$' }), Param)),
    tests: Obj({
      pass: T.Array(TestCase, { minItems: 1 }),
      fail: T.Array(TestCase, { minItems: 1 }),
    }),
  },
  { $id: 'urn:jitaudit:schema:rule:1', title: 'jitaudit rule' },
);

export type RuleFile = Static<typeof RuleFileSchema>;
export type RuleParam = NonNullable<RuleFile['params']>[string];
