// The validators the build compiles ahead (scripts/precompile-validators.mjs → dist/util/validators.cjs):
// the built tool uses them, they judge exactly as the schema compiled at run time does, and a schema
// they were not made from is compiled as before. Runs on dist (`npm test` builds first).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { TSchema } from '@sinclair/typebox';
import { configuredAjv, type PrecompiledValidators } from '../src/util/ajv.js';
import { checkedInDemo, DEMO_CONFIG_FILE, ROOT } from './helpers/demo.js';

type ValidatorFor = (schema: TSchema) => ((value: unknown) => boolean) & { errors?: unknown[] | null };
const dist = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(ROOT, 'dist', file)).href)) as T;
const { validatorFor } = await dist<{ validatorFor: ValidatorFor }>('util/ajv.js');
const { PUBLISHED_SCHEMAS } = await dist<{ PUBLISHED_SCHEMAS: Record<string, TSchema> }>('model/published-schemas.js');
const built = createRequire(import.meta.url)(join(ROOT, 'dist/util/validators.cjs')) as PrecompiledValidators;

const schema = (name: string) => PUBLISHED_SCHEMAS[name]!;
const ruleFiles = readdirSync(join(ROOT, 'rules'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(ROOT, 'rules', f), 'utf8')) as unknown);

/** Documents each schema accepts, and broken copies of them (each breaks one keyword). */
function documents(): [string, unknown[]][] {
  const snapshot = () => JSON.parse(checkedInDemo()) as Record<string, any>;
  const config = () => parse(readFileSync(DEMO_CONFIG_FILE, 'utf8')) as Record<string, any>;
  const brokenSnapshots = [
    (s: Record<string, any>) => (s.entra.tenant.data.displayName = 5),
    (s: Record<string, any>) => (s.meta.unexpected = true),
    (s: Record<string, any>) => delete s.meta.collectedAt,
    (s: Record<string, any>) => (s.meta.collectedAt = 'yesterday'),
    (s: Record<string, any>) => (s.aws.iamUsers.provenance.status = 'partly'),
  ].map((breakIt) => {
    const s = snapshot();
    breakIt(s);
    return s;
  });
  const brokenConfigs = [(c: Record<string, any>) => (c.surprise = 1), (c: Record<string, any>) => (c.aws = 'x')].map((breakIt) => {
    const c = config();
    breakIt(c);
    return c;
  });
  const rule = ruleFiles[0] as Record<string, any>;
  return [
    ['snapshot.schema.json', [snapshot(), ...brokenSnapshots]],
    ['config.schema.json', [config(), ...brokenConfigs]],
    ['rule.schema.json', [...ruleFiles, { ...rule, severity: 'urgent' }, { ...rule, id: undefined }]],
  ];
}

describe('validators compiled by the build', () => {
  it('are what the built tool validates with, one per published schema', () => {
    for (const s of Object.values(PUBLISHED_SCHEMAS)) {
      expect(built.validators[s.$id!]).toBeTypeOf('function');
      expect(validatorFor(s)).toBe(built.validators[s.$id!]);
    }
  });

  it('accept and reject what the schema compiled at run time does, with the same first error', () => {
    for (const [name, docs] of documents()) {
      const atRunTime = configuredAjv().compile(schema(name));
      const ahead = validatorFor(schema(name));
      let rejected = 0;
      for (const doc of docs) {
        const verdict = ahead(doc);
        expect(verdict, name).toBe(atRunTime(doc));
        if (!verdict) {
          rejected++;
          expect(ahead.errors?.[0], name).toEqual(atRunTime.errors?.[0]);
        }
      }
      expect(rejected, name).toBeGreaterThanOrEqual(2);
    }
  });

  it('are not used for a schema they were not made from: that one is compiled', () => {
    const snapshotSchema = schema('snapshot.schema.json');
    const changed = { ...snapshotSchema, maxProperties: 2 } as TSchema;
    const validate = validatorFor(changed);
    expect(validate).not.toBe(built.validators[snapshotSchema.$id!]);
    expect(validate(JSON.parse(checkedInDemo()))).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'maxProperties', params: { limit: 2 } });
  });
});
