// The two fakes in their own process (so that on a 2-core machine the collector under test has a core
// of its own), serving the synthetic organisation of one size with the documented limits enforced at
// a time scale. Talks to the benchmark over IPC: "ready" with the environment, then "counts", "stop".
import { startFakes } from '../test/synthetic/harness.js';
import { generateOrg, type Size } from '../test/synthetic/org.js';

const [size, seed, now, scale, latency] = process.argv.slice(2);
const org = generateOrg(size as Size, Number(seed), Number(now));
const fakes = await startFakes(org, { timing: { timeScale: Number(scale), enforceLimits: true, latencyMs: Number(latency) }, record: false });
const send = (message: unknown) => process.send?.(message);
// JSON over IPC drops undefined: null means "unset this variable".
send({ type: 'ready', env: Object.fromEntries(Object.entries(fakes.env).map(([k, v]) => [k, v ?? null])) });
process.on('message', (m: { type: string }) => {
  if (m.type === 'counts') {
    send({
      type: 'counts',
      graph: fakes.graph.counts,
      graphHttp: fakes.graph.httpRequests(),
      aws: Object.fromEntries(fakes.aws.limits),
    });
  } else if (m.type === 'stop') {
    void fakes.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
