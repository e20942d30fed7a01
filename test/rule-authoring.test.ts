// Rule authoring: a condition's `resource` fields are checked against the resource model at load,
// rule tests may assert the finding's message and evidence, the rule docs are generated and checked
// in, and `rules list` is a table (or JSON) of every rule.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/model/config.js';
import { compileRule, loadRules } from '../src/rules/load-rules.js';
import { RESOURCE_TYPES } from '../src/rules/resource-types.js';
import { ruleDocs } from '../src/rules/rule-docs.js';
import type { RuleFile } from '../src/rules/rule-schema.js';
import { SEVERITIES } from '../src/rules/rule-schema.js';
import { firstDifference, runRuleTests } from '../src/rules/rule-tests.js';
import { jitaudit, tempDir } from './helpers/cli.js';
import { ROOT } from './helpers/demo.js';

const builtin = loadRules({ dirs: [], config: loadConfig(null) });
const rule = (id: string) => builtin.find((r) => r.def.id === id)!;

function def(when: string, extra: Partial<RuleFile> = {}): RuleFile {
  return {
    id: 'my-rule',
    title: 'A rule',
    description: 'A rule.',
    severity: 'low',
    resource: 'accessPaths',
    when,
    message: '{{resource.principal.upn}}',
    remediation: 'Fix it.',
    references: [{ framework: 'NIST SP 800-53 Rev. 5', id: 'AC-6' }],
    tests: { pass: [{}], fail: [{ standing: true }] },
    ...extra,
  };
}
const compile = (when: string, extra: Partial<RuleFile> = {}) => () => compileRule('/tmp/custom/my-rule.yaml', def(when, extra));

function ruleDir(files: Record<string, string>): string {
  const dir = join(tempDir(), 'rules');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const yamlRule = (id: string, when: string, tests: string, extra = '') => `id: ${id}
title: ${id}
description: A rule.
severity: low
resource: accessPaths
when: ${JSON.stringify(when)}
message: "{{resource.principal.upn}} reaches {{resource.account.name}}"
remediation: Fix it.
references: [{framework: NIST SP 800-53 Rev. 5, id: AC-6}]
evidence: [kind, account.name]
${extra}tests:
${tests}`;

describe('a condition reads fields of the resource model', () => {
  it('a misspelt field fails the load with the nearest field', () => {
    expect(compile('resource.standing && resource.acount.environment == "prod"')).toThrow(
      /my-rule\.yaml: rule my-rule: \/when: "resource\.acount\.environment" is not a field of accessPaths; did you mean account\?$/,
    );
    expect(compile('resource.account.nmae == "x"')).toThrow(/\/when: "resource\.account\.nmae" is not a field of accessPaths; did you mean account\.name\?$/);
    expect(compile('has(resource.principl.upn)')).toThrow(/did you mean principal\?/);
    expect(compile('resource.zzzzzz')).toThrow(/\/when: "resource\.zzzzzz" is not a field of accessPaths$/);
  });

  it('a field selected on a scalar or on a list is an error; a free-form map takes any key', () => {
    expect(compile('resource.window.total.hours == 1')).toThrow(/window\.total is a duration, it has no fields/);
    expect(compile('resource.kind.x == "y"')).toThrow(/kind is a string, it has no fields/);
    expect(compile('resource.tiers.admin', { resource: 'groups', message: '{{resource.name}}' })).toThrow(/tiers is a list; read its items with a macro/);
    expect(compile('resource.accountDetail.tags.owner == "team-a"')).not.toThrow();
    expect(compile('resource.accountDetail.tags["cost-center"] == "1"')).not.toThrow();
    expect(compile('resource.principal.upn.endsWith("@example.com") && resource.window.terms.scimLag.value > duration("1h")')).not.toThrow();
    expect(compile('resource.tiers.exists(t, t == "admin")', { resource: 'groups', message: '{{resource.name}}' })).not.toThrow();
  });

  it('a condition that uses resource bare is not checked beyond today', () => {
    expect(compile('size(resource) > 0')).not.toThrow();
  });

  it('message placeholders and evidence fields share the notion: a map key is a field, a typo is not', () => {
    expect(compile('resource.standing', { object: 'path', message: '{{resource.accountDetail.tags.owner}}', evidence: ['accountDetail.tags.owner'] })).not.toThrow();
    expect(compile('resource.standing', { object: 'path', evidence: ['acount.name'] })).toThrow(/\/evidence: "acount\.name" is not a field of accessPaths; did you mean account\?/);
  });

  it('through the CLI: exit 2, one line naming the file, /when and the field', () => {
    const dir = ruleDir({ 'typo-rule.yaml': yamlRule('typo-rule', 'resource.acount.id == "1"', '  pass: [{}]\n  fail: [{}]\n') });
    const r = jitaudit(['rules', 'list', '--rules', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^jitaudit: .*typo-rule\.yaml: rule typo-rule: \/when: "resource\.acount\.id" is not a field of accessPaths; did you mean account\?\n$/);
  });

  it('every built-in rule and the demo config load', () => {
    expect(builtin.length).toBeGreaterThanOrEqual(40);
    expect(jitaudit(['rules', 'list', '--config', join(ROOT, 'reports/demo/jitaudit.config.yaml')]).code).toBe(0);
  });
});

describe('rule tests assert the message and evidence', () => {
  const tested = (tests: string) => {
    const dir = ruleDir({ 'asserting.yaml': yamlRule('asserting', 'resource.standing', tests) });
    return jitaudit(['rules', 'test', '--rules', dir]);
  };

  it('an exact message, a contained text and the evidence that match pass', () => {
    const r = tested(`  pass: [{}]
  fail:
    - {standing: true, message: alice@example.com reaches payments-prod, evidence: {kind: pim-eligible, account.name: payments-prod}}
    - {standing: true, message: {contains: reaches payments}}
`);
    expect(r.stdout).toMatch(/rule tests: \d+ passed, 0 failed/);
    expect(r.code).toBe(0);
  });

  it('a different message fails with where they differ', () => {
    const r = tested('  pass: [{}]\n  fail: [{standing: true, message: alice@example.com reaches payments-dev}]\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'tests.fail[0]: message: expected "alice@example.com reaches payments-dev", got "alice@example.com reaches payments-prod" (they differ from character 36)\n',
    );
  });

  it('a missing text fails', () => {
    const r = tested('  pass: [{}]\n  fail: [{standing: true, message: {contains: root}}]\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('tests.fail[0]: message: expected to contain "root", got "alice@example.com reaches payments-prod"\n');
  });

  it('different evidence fails naming the first field that differs', () => {
    const r = tested('  pass: [{}]\n  fail: [{standing: true, kind: owner, evidence: {kind: pim-eligible, account.name: payments-prod}}]\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('tests.fail[0]: evidence.kind: expected "pim-eligible", got "owner"\n');
    const missing = tested('  pass: [{}]\n  fail: [{standing: true, evidence: {kind: pim-eligible}}]\n');
    expect(missing.stdout).toContain('tests.fail[0]: evidence.account.name: not expected, got "payments-prod"\n');
  });

  it('an assertion on a pass case, or of the wrong shape, is an input error', () => {
    let r = tested('  pass: [{message: x}]\n  fail: [{standing: true}]\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/asserting\.yaml: rule asserting: \/tests\/pass\/0\/message: a pass case has no finding to assert a message of\n$/);
    r = tested('  pass: [{}]\n  fail: [{standing: true, message: {matches: x}}]\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/tests\/fail\/0\/message: must be the exact message \(a string\) or \{contains: text\}\n$/);
    r = tested('  pass: [{}]\n  fail: [{standing: true, evidence: [kind]}]\n');
    expect(r.stderr).toMatch(/\/tests\/fail\/0\/evidence: must be an object/);
  });

  it('at least three built-in rules assert messages and evidence, and they hold', () => {
    const asserting = builtin.filter((r) => r.def.tests.fail.some((c) => 'message' in c || 'evidence' in c));
    expect(asserting.length).toBeGreaterThanOrEqual(3);
    expect(runRuleTests(asserting).filter((r) => !r.ok)).toEqual([]);
    // And they can fail: the same rule with another message template.
    const changed = { ...rule('root-access-keys'), def: { ...rule('root-access-keys').def, message: 'Root of {{resource.accountName}} has a key.' } };
    expect(runRuleTests([changed]).find((r) => !r.ok)?.problem).toMatch(/^message: expected "The root user of account management/);
  });

  it('firstDifference walks objects and lists', () => {
    expect(firstDifference('evidence', { a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe('evidence.a[1].b: expected 2, got 3');
    expect(firstDifference('evidence', { a: 1 }, {})).toBe('evidence.a: expected 1, but the finding has no such field');
    expect(firstDifference('evidence', { a: [1] }, { a: [1] })).toBeNull();
  });
});

describe('generated rule docs', () => {
  const HOW = 'out of date: run `npm run docs:rules` and commit the result';
  const generated = ruleDocs(builtin);

  it('docs/rules/ and docs/resources.md are what `jitaudit rules docs` writes now', () => {
    for (const [path, text] of generated) expect(readFileSync(join(ROOT, 'docs', path), 'utf8'), `docs/${path} ${HOW}`).toBe(text);
    const pages = readdirSync(join(ROOT, 'docs/rules')).sort();
    expect(pages, `docs/rules/ holds a page of no rule: ${HOW}`).toEqual([...generated.keys()].filter((p) => p.startsWith('rules/')).map((p) => p.slice(6)).sort());
  });

  it('a rule page has its title, severity, resource, condition, params with defaults, remediation, references and examples', () => {
    const page = generated.get('rules/pim-activation-duration-too-long.md')!;
    for (const part of [
      '# PIM activation maximum duration is too long',
      '| Severity | medium |',
      '[`pimPolicies`](../resources.md#pimpolicies)',
      '```cel\nresource.accountCount > 0 && resource.activationMaximum != null && resource.activationMaximum > params.max\n```',
      '| `max` | duration | `PT2H` | The longest acceptable PIM activation. |',
      '## Remediation',
      '| NIST SP 800-53 Rev. 5 | AC-6(5) |',
      '- `{ activationMaximum: PT8H }` → “An activation of the member role of AWS - Prod Admins lasts up to 8 h',
    ]) {
      expect(page).toContain(part);
    }
  });

  it('every field of every resource collection is documented', () => {
    for (const [name, type] of Object.entries(RESOURCE_TYPES)) {
      const paths: string[] = [];
      const walk = (value: Record<string, unknown>, at: string) => {
        for (const [k, v] of Object.entries(value)) {
          paths.push(at + k);
          if (v && typeof v === 'object' && !Array.isArray(v) && !type.maps?.includes(at + k)) walk(v as Record<string, unknown>, `${at}${k}.`);
        }
      };
      walk(type.example, '');
      expect(paths.filter((p) => !type.fields[p]), name).toEqual([]);
      expect(Object.keys(type.fields).filter((p) => !paths.includes(p)), `${name}: docs of no field`).toEqual([]);
    }
  });

  it('an --out that cannot take the docs: exit 2, one line, nothing written, no hang', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const r = jitaudit(['rules', 'docs', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a-file: cannot write the docs \(ENOTDIR\)\n$/);
    expect(jitaudit(['rules', 'docs', '--out', '/proc/jitaudit-docs']).code).toBe(2);
  });

  it('the CLI writes the same files, and the README links the rule docs', () => {
    const out = tempDir();
    expect(jitaudit(['rules', 'docs', '--out', out]).code).toBe(0);
    expect(readFileSync(join(out, 'resources.md'), 'utf8')).toBe(generated.get('resources.md'));
    expect(readFileSync(join(out, 'rules/root-access-keys.md'), 'utf8')).toBe(generated.get('rules/root-access-keys.md'));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rules = readme.slice(readme.indexOf('## Rules'));
    expect(rules).toContain('](docs/rules/README.md)');
    expect(rules).toContain('](docs/resources.md)');
  });
});

describe('rules list', () => {
  it('has a header row, most severe first then by id, and a frameworks column', () => {
    const r = jitaudit(['rules', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+RESOURCE\s+FRAMEWORKS\s+TITLE$/);
    const rows = lines.slice(1, -1).map((l) => l.split(/\s+/));
    const order = rows.map(([id, severity]) => [SEVERITIES.indexOf(severity as never), id!] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
    expect(rows[0]![1]).toBe('critical');
    expect(r.stdout).toMatch(/^root-access-keys\s+critical\s+rootUsers\s+CIS AWS, NIST 800-53, ISO 27001, SOC 2\s+Root user with active access keys$/m);
  });

  it('--severity keeps rules at or above the level', () => {
    const all = JSON.parse(jitaudit(['rules', 'list', '--json']).stdout) as { severity: string }[];
    const high = JSON.parse(jitaudit(['rules', 'list', '--json', '--severity', 'high']).stdout) as { severity: string }[];
    expect(high.length).toBe(all.filter((x) => x.severity === 'critical' || x.severity === 'high').length);
    expect(new Set(high.map((x) => x.severity))).toEqual(new Set(['critical', 'high']));
    expect(jitaudit(['rules', 'list', '--severity', 'severe']).code).not.toBe(0);
  });

  it('--json carries every field of each rule, disabled rules included', () => {
    const dir = tempDir();
    const config = join(dir, 'c.yaml');
    writeFileSync(config, 'rules: {disabled: [root-access-keys]}\n');
    const listed = JSON.parse(jitaudit(['rules', 'list', '--json', '--config', config]).stdout) as Record<string, unknown>[];
    const keys = listed.find((x) => x.id === 'root-access-keys')!;
    expect(keys).toMatchObject({
      id: 'root-access-keys',
      severity: 'critical',
      resource: 'rootUsers',
      enabled: false,
      file: 'rules/iam/root-access-keys.yaml',
      remediation: expect.any(String),
      references: expect.arrayContaining([{ framework: 'SOC 2', id: expect.any(String) }]),
    });
    const windowRule = listed.find((x) => x.id === 'effective-window-too-long')!;
    expect(windowRule).toMatchObject({ object: 'pimPolicy', enabled: true, params: { maxWindow: 'PT4H' }, paramSpecs: { maxWindow: { type: 'duration', default: 'PT4H' } } });
    const text = jitaudit(['rules', 'list', '--config', config]).stdout;
    expect(text).toMatch(/^root-access-keys\s.*\(disabled\)$/m);
    expect(text).toMatch(/\(1 disabled by the config\)\n$/);
  });

  it('shows a custom rule\'s control and bidi characters escaped, in text and in JSON', () => {
    const hostile = 'Evil\u202eyrtne\u0007 title';
    const dir = ruleDir({ 'hostile-title.yaml': yamlRule('hostile-title', 'resource.standing', '  pass: [{}]\n  fail: [{standing: true}]\n').replace('title: hostile-title', `title: ${JSON.stringify(hostile)}`) });
    const text = jitaudit(['rules', 'list', '--rules', dir]);
    expect(text.stdout).toContain('Evil\\u202eyrtne\\u0007 title');
    expect(text.stdout).not.toMatch(/[\u202e\u0007]/);
    const json = jitaudit(['rules', 'list', '--json', '--rules', dir]).stdout;
    expect(json).not.toMatch(/[\u202e]/);
    expect((JSON.parse(json) as { id: string; title: string }[]).find((x) => x.id === 'hostile-title')!.title).toBe(hostile);
  });
});
