// What is generated but checked in must match what the code generates now (`npm run demo` fixes it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SCHEMAS, renderSchema } from '../src/model/published-schemas.js';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import { jitaudit, tempDir } from './helpers/cli.js';
import { checkedInDemo, demoSnapshot, ROOT } from './helpers/demo.js';

const HOW = 'out of date: run `npm run demo` and commit the result';

describe('checked-in generated files', () => {
  it('reports/demo/snapshot.json is what the demo builder makes, and valid', () => {
    expect(checkedInDemo(), HOW).toBe(`${JSON.stringify(demoSnapshot(), null, 2)}\n`);
    expect(() => validateSnapshot('demo', JSON.parse(checkedInDemo()))).not.toThrow();
  });

  it('reports/demo/report.json, report.sarif and report.html are what an audit of the demo writes now', () => {
    const out = tempDir();
    jitaudit(['audit', '--demo', '--out', out, '--quiet']);
    for (const f of ['report.json', 'report.sarif', 'report.html']) {
      expect(readFileSync(join(ROOT, 'reports/demo', f), 'utf8'), `reports/demo/${f} ${HOW}`).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });

  for (const [name, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
    it(`schemas/${name} matches the schema the tool validates with`, () => {
      expect(readFileSync(join(ROOT, 'schemas', name), 'utf8'), `schemas/${name} ${HOW}`).toBe(renderSchema(schema));
    });
  }
});
