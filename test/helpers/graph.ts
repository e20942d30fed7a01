// Running the Entra collector in-process against the fake Graph.
import { afterEach } from 'vitest';
import type { CollectorContext } from '../../src/collect/collectors.js';
import { collectEntra } from '../../src/collect/entra/index.js';
import type { Progress } from '../../src/collect/progress.js';
import { resolveConfig } from '../../src/model/config.js';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions, type GraphScenario } from '../fake-cloud/graph/server.js';

const TOKEN = 'test-token';
const NO_PROGRESS: Progress = { start: () => {}, tick: () => {}, done: () => {}, close: () => {} };

/**
 * A collection of the Entra half against a fake Graph answering `scenario`, at 1000× Graph's time;
 * each call starts its fake (closing the one before), and the last is closed after the test (call this
 * at the top of a test file).
 */
export function entraAgainstFake() {
  let fake: FakeGraph | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });
  return async (scenario: GraphScenario, options: FakeGraphOptions = {}) => {
    await fake?.close();
    const started = await startFakeGraph(scenario, { token: TOKEN, ...options });
    fake = started;
    const warnings: { section: string; message: string }[] = [];
    const ctx: CollectorContext = { config: resolveConfig({}, null), progress: NO_PROGRESS, warn: (section, message) => warnings.push({ section, message }) };
    const env = { JITAUDIT_GRAPH_BASE_URL: started.baseUrl, JITAUDIT_GRAPH_TOKEN: TOKEN, JITAUDIT_GRAPH_TIME_SCALE: '1000' };
    return { entra: await collectEntra(ctx, { env }), warnings, fake: started };
  };
}
