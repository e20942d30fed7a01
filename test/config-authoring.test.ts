// Writing a config: `jitaudit init`, the config schema's descriptions, defaults and enums (what editors
// show), and one actionable line for a misspelt key or a duration that is not one.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.js';
import { schemaReference, starterConfig } from '../src/cli/init-command.js';
import { CONFIG_DEFAULTS, ConfigSchema, loadConfig, resolveConfig } from '../src/model/config.js';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import { RuleFileSchema } from '../src/rules/rule-schema.js';
import { RESOURCE_TYPES } from '../src/rules/resource-types.js';
import { validatorFor } from '../src/util/ajv.js';
import { DEFAULT_MEMBER_ROLE } from '../src/collect/aws/index.js';
import { DEFAULT_GRAPH_BASE_URL } from '../src/collect/entra/graph-client.js';
import { DEFAULT_APP_DISPLAY_NAME } from '../src/collect/entra/enterprise-app.js';
import { tempDir } from './helpers/cli.js';
import { demoSnapshot, ROOT } from './helpers/demo.js';

/** Runs the CLI in this process: its exit code and what it wrote on stderr. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(['node', 'jitaudit', ...args]), stderr };
  } finally {
    spy.mockRestore();
  }
}

const configError = (text: string): string => {
  const file = join(tempDir(), 'jitaudit.config.yaml');
  writeFileSync(file, text);
  try {
    loadConfig(file, 'cfg.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the config loaded');
};

describe('jitaudit init', () => {
  it('writes a starter config that loads as it is, with the defaults and a schema modeline', async () => {
    const dir = tempDir();
    const file = join(dir, 'jitaudit.config.yaml');
    const r = await run(['init', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/jitaudit/schemas/config.schema.json');
    // The real loader: valid as written, and the values are the defaults the code uses without a config.
    const config = loadConfig(file);
    const defaults = resolveConfig({}, null);
    for (const key of ['activationLookback', 'cloudTrailLookback', 'environments', 'defaultEnvironment', 'permissionSetTiers', 'defaultTier', 'scim', 'breakglass', 'disabledRules', 'waivers', 'portalSessionDuration'] as const) {
      expect(config[key], key).toEqual(defaults[key]);
    }
    // What only the user knows is a commented-out FILL IN line, never a value the collector would use.
    expect(config.raw.entra?.tenantId).toBeUndefined();
    expect(config.raw.aws?.identityCenterRegion).toBeUndefined();
    expect(text).toMatch(/^ {2}# tenantId: .* # FILL IN$/m);
    expect(text).toMatch(/^ {2}# identityCenterRegion: .* # FILL IN$/m);
    expect(text).toMatch(/FILL IN: list yours/);
  });

  it('has every section and key of the schema, each with a comment above it', () => {
    const text = starterConfig('./x.json');
    const lines = text.split('\n');
    const keys = (schema: Record<string, unknown>, depth: number, indent: string): void => {
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        const at = lines.findIndex((l) => l.startsWith(`${indent}${name}:`) || l.startsWith(`${indent}# ${name}:`));
        expect(at, `${indent}${name}`).toBeGreaterThan(0);
        expect(lines[at - 1]!.startsWith(`${indent}# `), `comment above ${name}`).toBe(true);
        if (depth < 2 && property.type === 'object') keys(property, depth + 1, `${indent}  `);
      }
    };
    keys(ConfigSchema as unknown as Record<string, unknown>, 0, '');
    // Uncommenting a FILL IN line gives valid YAML with the key set.
    const filled = text.replace('  # tenantId:', '  tenantId:').replace('  # identityCenterRegion:', '  identityCenterRegion:');
    expect(parse(filled).aws.identityCenterRegion).toBe('eu-west-1');
  });

  it('refuses to overwrite a file without --force: exit 2, one line, the file untouched', async () => {
    const file = join(tempDir(), 'mine.yaml');
    writeFileSync(file, 'defaultTier: mine\n');
    const r = await run(['init', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`jitaudit: ${file}: already exists; --force overwrites it\n`);
    expect(readFileSync(file, 'utf8')).toBe('defaultTier: mine\n');
    expect((await run(['init', '--out', file, '--force'])).code).toBe(0);
    expect(loadConfig(file).defaultTier).toBe('standard');
  });

  it('points the schema at the installed package nearest above the file', () => {
    const root = tempDir();
    mkdirSync(join(root, 'node_modules', 'jitaudit', 'schemas'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'jitaudit', 'schemas', 'config.schema.json'), '{}');
    mkdirSync(join(root, 'audit', 'config'), { recursive: true });
    expect(schemaReference(join(root, 'audit', 'config', 'jitaudit.config.yaml'))).toBe('../../node_modules/jitaudit/schemas/config.schema.json');
    expect(schemaReference(join(root, 'jitaudit.config.yaml'))).toBe('./node_modules/jitaudit/schemas/config.schema.json');
  });
});

describe('the config schema, for editors', () => {
  it('describes every property, at every depth', () => {
    const missing: string[] = [];
    const visit = (schema: Record<string, unknown>, at: string): void => {
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof property.description !== 'string' || property.description === '') missing.push(`${at}/${name}`);
        visit(property, `${at}/${name}`);
      }
      for (const value of Object.values((schema.patternProperties ?? {}) as Record<string, Record<string, unknown>>)) visit(value, `${at}/*`);
      if (schema.items && typeof schema.items === 'object') visit(schema.items as Record<string, unknown>, `${at}/*`);
    };
    visit(ConfigSchema as unknown as Record<string, unknown>, '');
    expect(missing).toEqual([]);
  });

  it("gives the code's defaults, and the collectors' own constants", () => {
    const p = (ConfigSchema as unknown as { properties: Record<string, { properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }>; default?: unknown }> }).properties;
    const defaults = resolveConfig({}, null);
    expect(p.entra!.properties.activationLookback!.default).toBe(defaults.activationLookback);
    expect(p.aws!.properties.cloudTrailLookback!.default).toBe(defaults.cloudTrailLookback);
    expect(p.scim!.properties.assumedLag!.default).toBe(defaults.scim.assumedLag);
    expect(p.environments!.default).toEqual(defaults.environments);
    expect(p.permissionSetTiers!.default).toEqual(defaults.permissionSetTiers);
    expect(p.defaultTier!.default).toBe(defaults.defaultTier);
    expect(CONFIG_DEFAULTS.memberAccountRoleName).toBe(DEFAULT_MEMBER_ROLE);
    expect(CONFIG_DEFAULTS.graphBaseUrl).toBe(DEFAULT_GRAPH_BASE_URL);
    expect(CONFIG_DEFAULTS.enterpriseAppDisplayName).toBe(DEFAULT_APP_DISPLAY_NAME);
    // Declaring the AWS default is not leaving it out (the report tells them apart): no default to insert.
    expect(p.aws!.properties.portalSessionDuration!.default).toBeUndefined();
    // A closed set is an enum: the error names every value.
    expect(configError('breakglass: {root: [{account: "123456789012", drills: [{at: 2026-01-01, ticket: T, kind: dril}]}]}\n'))
      .toBe('cfg.yaml: /breakglass/root/0/drills/0/kind: must be one of ["drill","incident"]');
  });

  it("lists a rule's resource collections, from the resource model itself", () => {
    const resource = (RuleFileSchema as unknown as { properties: { resource: { enum: string[]; description: string } } }).properties.resource;
    expect(resource.enum).toEqual(Object.keys(RESOURCE_TYPES));
    // A rule of the pack, with its collection misspelt: refused by the schema, at /resource.
    const dir = join(ROOT, 'rules', readdirSync(join(ROOT, 'rules')).sort()[0]!);
    const rule = parse(readFileSync(join(dir, readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()[0]!), 'utf8'));
    const validate = validatorFor(RuleFileSchema);
    expect(validate(rule), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...rule, resource: 'accesPaths' })).toBe(false);
    expect(validate.errors![0]).toMatchObject({ instancePath: '/resource', keyword: 'enum' });
  });
});

describe('an unknown config key', () => {
  it('is named by its own pointer, with the nearest known key', () => {
    expect(configError('environments: {prod: {ouPath: ["Root/Prod/**"]}}\n'))
      .toBe('cfg.yaml: /environments/prod/ouPath: unknown key "ouPath"; did you mean "ouPaths"?');
    expect(configError('scim: {assumedlag: PT1H}\n')).toBe('cfg.yaml: /scim/assumedlag: unknown key "assumedlag"; did you mean "assumedLag"?');
  });

  it('suggests nothing for a far-off key, and lists the known ones instead', () => {
    const message = configError('waivers: [{rule: r, resource: x, reason: y, owner: z, expires: 2027-01-01, approvedBy: me}]\n');
    expect(message).toBe('cfg.yaml: /waivers/0/approvedBy: unknown key "approvedBy"; known keys: rule, resource, reason, owner, expires');
    expect(message).not.toMatch(/did you mean/);
  });

  it('says a record key is not a valid name', () => {
    expect(configError('environments: {Prod: {}}\n')).toBe('cfg.yaml: /environments/Prod: "Prod" is not a valid name: must match ^[a-z][a-z0-9-]*$');
  });
});

describe('a duration that is not one', () => {
  const words = /must be an ISO-8601 duration such as PT8H or P90D \(weeks, days, hours, minutes, seconds, at most P3652500D; no years, months or sign\)/;

  it('is said in words at its pointer in the config, never as a regular expression', () => {
    for (const [text, pointer] of [
      ['aws: {portalSessionDuration: 8h}\n', '/aws/portalSessionDuration'],
      ['scim: {unhealthyAfter: "2 hours"}\n', '/scim/unhealthyAfter'],
      ['entra: {activationLookback: P1M}\n', '/entra/activationLookback'],
    ]) {
      const message = configError(text!);
      expect(message.startsWith(`cfg.yaml: ${pointer}: `), message).toBe(true);
      expect(message).toMatch(words);
      expect(message).not.toMatch(/\^P|\\d/);
    }
  });

  it('is said the same way in a snapshot', () => {
    const s = demoSnapshot();
    (s.aws.permissionSets.data![0] as { sessionDuration: string }).sessionDuration = '8 hours';
    expect(() => validateSnapshot('snapshot.json', JSON.parse(JSON.stringify(s)))).toThrow(
      new RegExp(`^snapshot\\.json: /aws/permissionSets/data/0/sessionDuration: ${words.source}$`),
    );
  });
});

afterEach(() => vi.restoreAllMocks());
