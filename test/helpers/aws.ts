// Running the AWS collector in-process against the fake AWS, and reading the IAM policies it needs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { collectAws } from '../../src/collect/aws/index.js';
import type { CollectorContext } from '../../src/collect/collectors.js';
import { notCollected } from '../../src/collect/section.js';
import { resolveConfig, type ConfigFile } from '../../src/model/config.js';
import { validateSnapshot } from '../../src/model/load-snapshot.js';
import { SECTION_PATHS, SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../../src/model/snapshot-schema.js';
import type { AwsScenario } from '../fake-cloud/aws/scenario.js';
import { FakeAws } from '../fake-cloud/aws/server.js';
import { ROOT } from './demo.js';

export interface Policy {
  Version: string;
  Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
}

export const policy = (name: string) => JSON.parse(readFileSync(join(ROOT, 'docs/aws-policies', name), 'utf8')) as Policy;
export const policyActions = (name: string) =>
  policy(name)
    .Statement.filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/**
 * Read-only by its name: List*, Get*, Describe*, Lookup*, or one of the two named exceptions; API Gateway
 * authorises by HTTP verb, and only its GET reads.
 */
export const isReadOnly = (action: string) => {
  const [service, op = ''] = action.split(':');
  if (service === 'apigateway') return op === 'GET';
  return /^(List|Get|Describe|Lookup)[A-Z]/.test(op) || op === 'GenerateCredentialReport' || op === 'AssumeRole';
};

/** Point this process's SDK at the fake (and nothing else); returns a function that restores the environment. */
export function withFakeEnv(fake: FakeAws): () => void {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(fake.env())) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}

export function context(config: ConfigFile, events: string[] = []): CollectorContext & { warnings: { section: string; message: string }[] } {
  const warnings: { section: string; message: string }[] = [];
  return {
    config: resolveConfig(config, null),
    progress: {
      start: (s) => events.push(`start ${s}`),
      tick: () => {},
      done: (s, outcome) => events.push(`done ${s} ${outcome}`),
      close: () => {},
    },
    warn: (section, message) => warnings.push({ section, message }),
    warnings,
  };
}

/** How the tests run the collector: at 100× the rates, polling fast. */
export const FAST = { rateScale: 100, report: { pollMs: 5, maxPollMs: 20, timeoutMs: 10_000 } };

/**
 * The AWS half collected once from a fake, for the tests of one describe block (beforeAll/afterAll):
 * read `collected.aws`, `.ctx` and `.fake` in them. Progress events go to `events` when given.
 */
export function collectFromFake(scenario: AwsScenario, config: ConfigFile, events: string[] = []) {
  const fake = new FakeAws(scenario);
  const collected = { fake } as { fake: FakeAws; aws: Snapshot['aws']; ctx: ReturnType<typeof context> };
  let restore = () => {};
  beforeAll(async () => {
    await fake.start();
    restore = withFakeEnv(fake);
    collected.ctx = context(config, events);
    collected.aws = await collectAws(collected.ctx, FAST);
  });
  afterAll(async () => {
    restore();
    await fake.stop();
  });
  return collected;
}

/** The AWS half in a whole snapshot (the Entra half not collected), validated as `audit` would. */
export function asSnapshot(aws: Snapshot['aws']): Snapshot {
  const entra = Object.fromEntries(
    SECTION_PATHS.filter((p) => p.startsWith('entra.')).map((p) => [p.split('.')[1], notCollected('not collected: run with --only entra')]),
  ) as unknown as Snapshot['entra'];
  const now = new Date().toISOString();
  return validateSnapshot('test', JSON.parse(JSON.stringify({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, meta: { tool: { name: 'jitaudit', version: '0' }, collection: { startedAt: now, endedAt: now }, configDigest: null, warnings: [] }, entra, aws })));
}

