import { copyFileSync, mkdtempSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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
    expect(Object.keys(loaded).sort()).toEqual(['file', 'identity', 'sha256', 'snapshot']);
    expect(snapshotBytes(loaded).equals(readFileSync(DEMO_SNAPSHOT_FILE))).toBe(true);
  });

  it('refuses bytes that are no longer the ones audited, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitaudit-load-'));
    const file = join(dir, 'snapshot.json');
    copyFileSync(DEMO_SNAPSHOT_FILE, file);
    const loaded = loadSnapshot(file);
    // Same size, new content, written later: the modification time says so. (The clock is moved on
    // explicitly: a file system may stamp two writes within a few milliseconds alike.)
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"schemaVersion": 1', '"schemaVersion": 2'));
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    expect(readFileSync(file).length).toBe(Buffer.byteLength(text));
    expect(() => snapshotBytes(loaded)).toThrow(InputError);
    expect(() => snapshotBytes(loaded)).toThrow(/changed while it was being audited/);
    // Replaced by another file (a new inode), even with the same bytes.
    writeFileSync(file, text);
    const reloaded = loadSnapshot(file);
    writeFileSync(`${file}.new`, text);
    renameSync(`${file}.new`, file);
    expect(statSync(file, { bigint: true }).ino).not.toBe(reloaded.identity.ino);
    expect(() => snapshotBytes(reloaded)).toThrow(/changed while it was being audited/);
  });
});
