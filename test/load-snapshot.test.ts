import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot, snapshotBytes } from '../src/model/load-snapshot.js';
import { InputError } from '../src/util/errors.js';
import { DEMO_SNAPSHOT_FILE } from './helpers/demo.js';

describe('loadSnapshot', () => {
  it('keeps the model and the hash, not the text; the bytes are read again on demand', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitaudit-load-'));
    const file = join(dir, 'snapshot.json');
    copyFileSync(DEMO_SNAPSHOT_FILE, file);
    const loaded = loadSnapshot(file);
    expect(Object.keys(loaded).sort()).toEqual(['file', 'sha256', 'snapshot']);
    expect(snapshotBytes(loaded).equals(readFileSync(DEMO_SNAPSHOT_FILE))).toBe(true);
  });

  it('refuses bytes that are no longer the ones audited, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitaudit-load-'));
    const file = join(dir, 'snapshot.json');
    copyFileSync(DEMO_SNAPSHOT_FILE, file);
    const loaded = loadSnapshot(file);
    writeFileSync(file, `${readFileSync(file, 'utf8')} `);
    expect(() => snapshotBytes(loaded)).toThrow(InputError);
    expect(() => snapshotBytes(loaded)).toThrow(/changed while it was being audited/);
  });
});
