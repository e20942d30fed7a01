// The README is part of the product: its quick start and its nightly workflow must stay true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/demo.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('quick start is the demo audit and the tests', () => {
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Commands'));
    const commands = [...quick.matchAll(/^(npx jitaudit[^#\n]*|npm [^#\n]*)/gm)].map((m) => m[1]!.trim());
    expect(commands).toEqual(['npx jitaudit audit --demo', 'npm test']);
  });

  it('the nightly workflow is valid YAML that signs in with OIDC, collects, audits, uploads SARIF and commits the snapshot', () => {
    const section = readme.slice(readme.indexOf('## Nightly pipeline'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const workflow = parse(block) as {
      permissions: Record<string, string>;
      jobs: { audit: { steps: { uses?: string; run?: string }[] } };
    };
    expect(workflow.permissions['id-token']).toBe('write');
    const steps = workflow.jobs.audit.steps;
    const uses = steps.map((s) => s.uses?.split('@')[0]).filter(Boolean);
    expect(uses).toEqual(expect.arrayContaining(['azure/login', 'aws-actions/configure-aws-credentials', 'github/codeql-action/upload-sarif', 'actions/upload-artifact']));
    const runs = steps.map((s) => s.run ?? '').join('\n');
    for (const command of ['jitaudit collect', 'jitaudit audit', '--fail-on high', 'jitaudit evidence', 'git commit']) expect(runs).toContain(command);
    // No stored secrets: OIDC only.
    expect(block).not.toMatch(/secrets\./);
  });
});
