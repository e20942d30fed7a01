// npm run demo: rebuild what is checked in and generated: the JSON Schemas (schemas/), the demo
// snapshot and the demo's reports (reports/demo/: JSON, SARIF, HTML). A test fails when any of them is out of date.
import { writeFileSync } from 'node:fs';
import { buildDemoSnapshot } from '../dist/demo/demo-snapshot.js';
import { PUBLISHED_SCHEMAS, renderSchema } from '../dist/model/published-schemas.js';
import { main } from '../dist/cli/main.js';

for (const [name, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
  writeFileSync(new URL(`../schemas/${name}`, import.meta.url), renderSchema(schema));
}
writeFileSync(new URL('../reports/demo/snapshot.json', import.meta.url), `${JSON.stringify(buildDemoSnapshot(), null, 2)}\n`);
const code = await main(['node', 'jitaudit', 'audit', '--demo', '--out', 'reports/demo', '--quiet']);
// The demo's gate fails by design (it has high findings); anything but 0 or 1 is a real failure.
process.exitCode = code <= 1 ? 0 : code;
