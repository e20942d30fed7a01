// npm run demo: rebuild the demo snapshot and the reports checked in beside it (reports/demo/).
import { writeFileSync } from 'node:fs';
import { buildDemoSnapshot } from '../dist/demo/demo-snapshot.js';
import { main } from '../dist/cli/main.js';

writeFileSync(new URL('../reports/demo/snapshot.json', import.meta.url), `${JSON.stringify(buildDemoSnapshot(), null, 2)}\n`);
const code = await main(['node', 'jitaudit', 'audit', '--demo', '--out', 'reports/demo', '--quiet']);
// The demo's gate fails by design (it has high findings); anything but 0 or 1 is a real failure.
process.exitCode = code <= 1 ? 0 : code;
