// Part of `npm run build`, after tsc: compiles the tool's JSON Schemas ahead with ajv's standalone
// code, so that an audit does not spend a quarter of a second compiling the snapshot's schema at
// every start (src/util/ajv.ts uses these for the very schemas they were made from).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const standaloneCode = require('ajv/dist/standalone').default;
const { configuredAjv, schemaFingerprint, PRECOMPILED_FILE } = await import('../dist/util/ajv.js');
const { PUBLISHED_SCHEMAS } = await import('../dist/model/published-schemas.js');

const ajv = configuredAjv({ code: { source: true } });
const fingerprints = {};
const exported = {};
for (const schema of Object.values(PUBLISHED_SCHEMAS)) {
  ajv.compile(schema);
  fingerprints[schema.$id] = schemaFingerprint(schema);
  exported[schema.$id] = schema.$id;
}
// ajv's module sets exports[$id] for each validator: that object becomes `validators`.
const code = [
  standaloneCode(ajv, exported),
  `module.exports = { validators: exports, fingerprints: ${JSON.stringify(fingerprints)} };`,
  '',
].join('\n');
writeFileSync(PRECOMPILED_FILE, code);
