import { Type as T, type TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { IsoDuration, Nullable, Obj, StringEnum, Timestamp } from '../src/model/schema-helpers.js';
import { configuredAjv } from '../src/util/ajv.js';

const ajv = configuredAjv();
const verdicts = (schema: TSchema, values: unknown[]) => {
  const validate = ajv.compile(schema);
  return values.map((v) => validate(v));
};

// Values of every JSON type, and some of each that a keyword of the inner schema refuses.
const VALUES: unknown[] = [
  null,
  '',
  'x',
  'P1D',
  '2026-12-06T10:00:00Z',
  '2026-02-31T10:00:00Z',
  'member',
  'nobody',
  0,
  -1,
  1.5,
  7,
  true,
  false,
  [],
  ['a'],
  [1],
  {},
  { id: 'a' },
  { id: 1 },
  { id: 'a', extra: true },
];

describe('Nullable', () => {
  const inner: [string, TSchema][] = [
    ['a string', T.String()],
    ['a timestamp', Timestamp()],
    ['a duration', IsoDuration()],
    ['an integer with a minimum', T.Integer({ minimum: 0 })],
    ['a number', T.Number()],
    ['a boolean', T.Boolean()],
    ['a string enum', StringEnum(['member', 'owner'])],
    ['a closed object', Obj({ id: T.String() })],
    ['an array of strings', T.Array(T.String())],
    ['a literal', T.Literal('member')],
    ['a union', T.Union([T.String(), T.Integer()])],
  ];

  it.each(inner)('admits what "%s or null" as an anyOf admits, and nothing else', (_, schema) => {
    expect(verdicts(Nullable(schema), VALUES)).toEqual(verdicts(T.Union([schema, T.Null()]), VALUES));
  });

  it('takes null as one more type where the schema has one type, so ajv tries no second branch', () => {
    expect(Nullable(T.String())).toMatchObject({ type: ['string', 'null'] });
    expect(Nullable(StringEnum(['member', 'owner']))).toMatchObject({ type: ['string', 'null'], enum: ['member', 'owner', null] });
    expect(Nullable(T.Literal('member'))).toHaveProperty('anyOf');
  });
});
