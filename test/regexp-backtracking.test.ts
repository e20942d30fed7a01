// Patterns from the config or a rule, run over names a tenant chooses, finish in linear time: a
// glob such as `*-*-*-*-prod` took minutes on a long account name, and `^(a+)+$` never finished.
import { describe, expect, it } from 'vitest';
import { classifyAccount } from '../src/analyze/classify.js';
import { resolveConfig } from '../src/model/config.js';
import type { AccountT } from '../src/model/snapshot-schema.js';
import { ruleEnvironment } from '../src/rules/cel.js';

const account = (name: string, ouPath = 'Root/Workloads'): AccountT =>
  ({ id: '111111111111', name, email: 'a@example.com', status: 'ACTIVE', state: 'ACTIVE', ouPath, tags: {} }) as unknown as AccountT;

// Without the bound, each of these runs for minutes: the test's own timeout is the failure.
const BOUND = { timeout: 20_000 };

describe('globs of the config over hostile names', () => {
  const config = resolveConfig({ environments: { prod: { accountNames: ['*-*-*-*-PROD'], ouPaths: ['?*?*?*?*?*?*?*?*?*?*?*z'] } } }, null);

  it('a many-star glob against a long name of separators finishes', BOUND, () => {
    expect(classifyAccount(config, account('-'.repeat(20000)))).not.toBe('prod');
  });

  it('a many-star OU glob against a long path finishes', BOUND, () => {
    expect(classifyAccount(config, account('payments', `Root/${'ab'.repeat(2000)}`))).not.toBe('prod');
  });

  it('still ignores case and matches what it should', () => {
    expect(classifyAccount(config, account('payments-eu-west-1-prod'))).toBe('prod');
    expect(classifyAccount(config, account('Payments-EU-West-1-Prod'))).toBe('prod');
    expect(classifyAccount(config, account('payments-prod'))).not.toBe('prod');
  });
});

describe("a rule's matches() over a hostile name", () => {
  it('a catastrophic pattern finishes', BOUND, () => {
    const when = ruleEnvironment.parse('resource.name.matches("^(a+)+$")');
    expect(when({ resource: { name: `${'a'.repeat(40)}!` } })).toBe(false);
    expect(when({ resource: { name: 'aaaa' } })).toBe(true);
  });
});
