// The snapshot read and hashed on the main thread while the audit thread starts
// (src/model/snapshot-prefetch.ts): used for that very file only, unchanged, and never needed.
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../src/model/load-snapshot.js';
import {
  expectPrefetched,
  postPrefetched,
  prefetchSnapshot,
  snapshotArgument,
  takePrefetched,
  type PrefetchedSnapshot,
} from '../src/model/snapshot-prefetch.js';
import { jitaudit, tempDir } from './helpers/cli.js';
import { DEMO_CONFIG_FILE, DEMO_SNAPSHOT_FILE } from './helpers/demo.js';

const copyOfDemo = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'jitaudit-prefetch-')), 'snapshot.json');
  copyFileSync(DEMO_SNAPSHOT_FILE, file);
  return file;
};

/** As start.ts and the audit thread do, on one thread: posted, then expected. */
function handOver(prefetched: PrefetchedSnapshot | null): void {
  const { port1, port2 } = new MessageChannel();
  const posted = new Int32Array(new SharedArrayBuffer(4));
  postPrefetched({ port: port1, posted }, prefetched);
  port1.close();
  expectPrefetched({ port: port2, posted });
}

describe('the snapshot read ahead', () => {
  it('is the file named by --snapshot, guessed from the command line', () => {
    const argv = (...args: string[]) => ['node', 'jitaudit', ...args];
    expect(snapshotArgument(argv('audit', '--snapshot', 's.json', '--out', 'r'))).toBe('s.json');
    expect(snapshotArgument(argv('evidence', '--out', 'e', '--snapshot=nightly/s.json'))).toBe('nightly/s.json');
    expect(snapshotArgument(argv('audit', '--demo'))).toBeNull();
    expect(snapshotArgument(argv('audit', '--', '--snapshot', 'x'))).toBeNull();
    expect(snapshotArgument(argv('audit', '--snapshot'))).toBeNull();
  });

  it('holds the bytes and their SHA-256, and only a plain file that can be read is read', () => {
    const file = copyOfDemo();
    const prefetched = prefetchSnapshot(file)!;
    const bytes = readFileSync(file);
    expect(Buffer.from(prefetched.bytes).equals(bytes)).toBe(true);
    expect(prefetched.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(prefetchSnapshot(join(file, '..'))).toBeNull();
    expect(prefetchSnapshot(`${file}.missing`)).toBeNull();
  });

  it('is what the audit loads when it is the same file, unchanged', () => {
    const file = copyOfDemo();
    // A hash that could not come from reading: it shows the handed-over snapshot was used.
    const prefetched = prefetchSnapshot(file)!;
    handOver({ ...prefetched, sha256: 'handed-over' });
    // Moved, not copied: this side no longer has the bytes.
    expect(prefetched.bytes.length).toBe(0);
    const loaded = loadSnapshot(relative(process.cwd(), file));
    expect(loaded.sha256).toBe('handed-over');
    expect(loaded.snapshot.schemaVersion).toBeDefined();
    // Taken once: a second load reads the file.
    expect(loadSnapshot(file).sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('is not used for another file, a file changed since, or when the main thread found nothing', () => {
    const file = copyOfDemo();
    handOver(prefetchSnapshot(file));
    expect(takePrefetched(DEMO_SNAPSHOT_FILE)).toBeNull();

    handOver(prefetchSnapshot(file));
    appendFileSync(file, '\n');
    expect(takePrefetched(file)).toBeNull();

    handOver(null);
    expect(takePrefetched(file)).toBeNull();
    expect(takePrefetched(file)).toBeNull();
  });

  it('gives jitaudit audit --snapshot the same report as the audit thread reading the file itself (--demo)', () => {
    const [ahead, plain] = [tempDir(), tempDir()];
    expect(jitaudit(['audit', '--snapshot', DEMO_SNAPSHOT_FILE, '--config', DEMO_CONFIG_FILE, '--out', ahead]).code).toBe(1);
    expect(jitaudit(['audit', '--demo', '--out', plain]).code).toBe(1);
    type Report = { snapshot: { sha256: string }; summary: unknown; accessPaths: unknown[]; findings: unknown[] };
    const [a, b] = [ahead, plain].map((dir) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report);
    expect(a!.snapshot.sha256).toBe(createHash('sha256').update(readFileSync(DEMO_SNAPSHOT_FILE)).digest('hex'));
    expect(a!.snapshot.sha256).toBe(b!.snapshot.sha256);
    expect(a!.summary).toEqual(b!.summary);
    expect(a!.accessPaths).toEqual(b!.accessPaths);
    expect(a!.findings).toEqual(b!.findings);
  });
});
