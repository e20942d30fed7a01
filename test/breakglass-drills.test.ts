import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig, type Config } from '../src/model/config.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { InputError } from '../src/util/errors.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

// The demo: root signs in to 222222222222 on 2026-09-15 without MFA; breakglass-1 of 111111111111
// has a drill declared for 2026-09-01.
const ROOT_ACCOUNT = '222222222222';
const ROOT_DAY = '2026-09-15';

function withRoot(root: unknown): Config {
  const raw = demoConfig().raw;
  return resolveConfig({ ...raw, breakglass: { ...raw.breakglass, root } } as Config['raw'], null);
}

function audit(config: Config) {
  const analysis = analyzeDemo(undefined, config);
  const events = analysis.resources.breakglassEvents!.map((item) => item.data as { actor: string; accountId: string; eventTime: string; declaredDrill: unknown });
  const fired = (rule: string) => evaluateRules(loadRules({ dirs: [], config }), analysis, config).filter((f) => f.finding.ruleId === rule);
  return { events, fired };
}

describe('declared root drills', () => {
  it('explain a root use on the declared day in that account: shown with its ticket, not reported by root-activity', () => {
    const before = audit(demoConfig());
    const rootUse = (events: ReturnType<typeof audit>['events']) => events.filter((e) => e.actor === 'root' && e.accountId === ROOT_ACCOUNT && e.eventTime.startsWith(ROOT_DAY));
    expect(rootUse(before.events).length).toBeGreaterThan(0);
    expect(rootUse(before.events).every((e) => e.declaredDrill === null)).toBe(true);
    const reported = before.fired('root-activity').length;
    expect(reported).toBeGreaterThan(0);

    const after = audit(withRoot([{ account: ROOT_ACCOUNT, drills: [{ at: ROOT_DAY, ticket: 'INC-42', kind: 'incident' }] }]));
    expect(rootUse(after.events).every((e) => JSON.stringify(e.declaredDrill) === JSON.stringify({ ticket: 'INC-42', kind: 'incident' }))).toBe(true);
    expect(after.fired('root-activity').length).toBe(reported - rootUse(after.events).length);
    // Without MFA is still without MFA, drill or not.
    expect(after.fired('breakglass-sign-in-without-mfa').length).toBe(before.fired('breakglass-sign-in-without-mfa').length);
  });

  it('do not explain another day, another account, or a breakglass user\'s own events', () => {
    const elsewhere = audit(
      withRoot([
        { account: ROOT_ACCOUNT, drills: [{ at: '2026-09-16', ticket: 'CHG-9' }] },
        { account: '333333333333', drills: [{ at: ROOT_DAY, ticket: 'CHG-8' }] },
        { account: '111111111111', drills: [{ at: '2026-09-02', ticket: 'CHG-7' }] },
      ]),
    );
    expect(elsewhere.events.filter((e) => e.actor === 'root').every((e) => e.declaredDrill === null)).toBe(true);
    expect(elsewhere.fired('root-activity').length).toBe(audit(demoConfig()).fired('root-activity').length);
    // breakglass-1's own declared drill still counts, and only for breakglass-1.
    expect(elsewhere.events.filter((e) => e.actor === 'breakglass' && e.declaredDrill !== null).length).toBe(
      audit(demoConfig()).events.filter((e) => e.actor === 'breakglass' && e.declaredDrill !== null).length,
    );
  });

  it('are read from the config file, with users optional; a malformed one is one input error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitaudit-root-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, `breakglass:\n  root:\n    - {account: "${ROOT_ACCOUNT}", drills: [{at: ${ROOT_DAY}, ticket: CHG-1}]}\n`);
    const config = loadConfig(file);
    expect(config.breakglassRoot).toEqual([{ account: ROOT_ACCOUNT, drills: [{ at: ROOT_DAY, ticket: 'CHG-1' }] }]);
    expect(config.breakglass).toEqual([]);
    writeFileSync(file, `breakglass:\n  root:\n    - {account: "${ROOT_ACCOUNT}", drills: [{at: 15/09/2026, ticket: CHG-1}]}\n`);
    expect(() => loadConfig(file)).toThrow(InputError);
    expect(() => loadConfig(file)).toThrow(/\/breakglass\/root\/0\/drills\/0\/at/);
    writeFileSync(file, `breakglass:\n  root:\n    - {account: "${ROOT_ACCOUNT}"}\n`);
    expect(() => loadConfig(file)).toThrow(/\/breakglass\/root\/0.*drills/);
  });
});
