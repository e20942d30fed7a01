// The README is part of the product: its quick start and its nightly workflow must stay true.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jitaudit, tempDir } from './helpers/cli.js';
import { ROOT } from './helpers/demo.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('quick start is the demo audit and the tests', () => {
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Commands'));
    const commands = [...quick.matchAll(/^(npx jitaudit[^#\n]*|npm [^#\n]*)/gm)].map((m) => m[1]!.trim());
    expect(commands).toEqual(['npx jitaudit audit --demo', 'npm test']);
  });

  // The README links the workflow file (examples/workflows/, linted in workflows.test.ts) instead of a copy.
  it('the nightly workflow is valid YAML that signs in with OIDC, collects, audits, uploads SARIF and commits the snapshot', () => {
    const file = 'examples/workflows/jitaudit-nightly.yml';
    expect(readme.slice(readme.indexOf('## Nightly pipeline'))).toContain(`](${file})`);
    const block = readFileSync(join(ROOT, file), 'utf8');
    const workflow = parse(block) as {
      jobs: { audit: { permissions: Record<string, string>; steps: { uses?: string; run?: string }[] } };
    };
    expect(workflow.jobs.audit.permissions['id-token']).toBe('write');
    const steps = workflow.jobs.audit.steps;
    const uses = steps.map((s) => s.uses?.split('@')[0]).filter(Boolean);
    expect(uses).toEqual(expect.arrayContaining(['azure/login', 'aws-actions/configure-aws-credentials', 'github/codeql-action/upload-sarif', 'actions/upload-artifact']));
    const runs = steps.map((s) => s.run ?? '').join('\n');
    for (const command of ['jitaudit collect', 'jitaudit audit', '--fail-on high', 'jitaudit evidence', 'git commit']) expect(runs).toContain(command);
    // No stored secrets: OIDC only.
    expect(block).not.toMatch(/secrets\./);
  });
});

// The README's jq one-liners over report.json, run on the demo's report: each runs and answers.
// jq is a Debian package; .ci/run installs it, and there (JITAUDIT_REQUIRE_JQ=1) a missing jq fails.
describe('README jq questions over report.json', () => {
  const jq = spawnSync('jq', ['--version'], { encoding: 'utf8' });
  const available = jq.status === 0;
  const block = /```sh\n\s*(# Critical findings[\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = block.split('\n').filter((line) => line.trim().startsWith('jq '));

  it('has one per common question', () => {
    expect(lines.length).toBeGreaterThanOrEqual(4);
    if (!available && process.env.JITAUDIT_REQUIRE_JQ) expect.fail('jq is not installed');
  });

  it.runIf(available || process.env.JITAUDIT_REQUIRE_JQ)('each answers on the demo report', () => {
    const out = tempDir();
    jitaudit(['audit', '--demo', '--out', out, '--quiet', '--format', 'json']);
    const answers = lines.map((line) => {
      const r = spawnSync('sh', ['-c', line.trim().replace(/reports\/report\.json$/, `'${join(out, 'report.json')}'`)], { encoding: 'utf8' });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
      return r.stdout;
    });
    const [critical, reach, long, byRule] = answers as [string, string, string, string];
    expect(critical).toContain('"people":["dave.park@northwind.example"]');
    expect(reach.trim().split('\n').length).toBeGreaterThan(1);
    expect(long).toMatch(/\tPT1\dH\d+M\n/);
    expect(JSON.parse(byRule)).toHaveProperty(['standing-privileged-access-prod', 'open']);
  });

  it.runIf(available || process.env.JITAUDIT_REQUIRE_JQ)('the first one reads every form of impact.paths: a finding written as {"except": [...]} gives everyone but those', () => {
    const out = tempDir();
    jitaudit(['audit', '--demo', '--out', out, '--quiet', '--format', 'json']);
    const file = join(out, 'report.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as { accessPaths: { grant: number }[]; grants: { principal: string }[]; findings: { ruleId: string; impact?: { paths: unknown } }[] };
    const reset = report.findings.find((f) => f.ruleId === 'credential-reset-over-aws-users')!;
    const { except } = reset.impact!.paths as { except: number[] };
    const expected = [...new Set(report.accessPaths.filter((_, i) => !except.includes(i)).map((p) => report.grants[p.grant]!.principal))].sort();
    const line = lines[0]!.trim().replace('.severity == "critical"', '.ruleId == "credential-reset-over-aws-users"').replace(/reports\/report\.json$/, `'${file}'`);
    const r = spawnSync('sh', ['-c', line], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { people: string[] }).people).toEqual(expected);
  });
});
