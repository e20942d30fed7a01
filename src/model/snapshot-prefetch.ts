// The snapshot read and hashed on the main thread while the audit thread starts (start.ts): loading
// the command line's modules, the config and the rules takes that thread a third of a second, and
// reading and hashing a large organisation's snapshot a quarter, on a core that is idle meanwhile.
// The bytes are handed over, not copied (a transferred ArrayBuffer: this thread lets go of them, so
// they are freed with the audit's own garbage): the audit parses the very bytes that were hashed. Nothing depends on
// it: whatever is off (another file, a file changed since, an error) and the audit reads the file
// itself, as it always did, and says what is wrong.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { resolve } from 'node:path';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { identityFrom, sameFile, type FileIdentity } from './file-identity.js';

export interface PrefetchedSnapshot {
  /** Absolute path. */
  file: string;
  /** The file as the loader knows it from now on. */
  identity: FileIdentity;
  /** Its change time too: the bytes were read in another thread, so any change since, even of metadata, sends the audit to read it itself. */
  ctimeNs: bigint;
  /** The file's bytes (transferred to the audit thread with the message). */
  bytes: Uint8Array;
  sha256: string;
}

/** How the audit thread hears of the main thread's reading: the answer's port, and a flag set once it is posted. */
export interface PrefetchChannel {
  port: MessagePort;
  posted: Int32Array;
}

/** Unchanged since `before`: the same file (file-identity.ts) and the same change time. */
const unchanged = (st: BigIntStats, before: Pick<PrefetchedSnapshot, 'identity' | 'ctimeNs'>) => sameFile(identityFrom(st), before.identity) && st.ctimeNs === before.ctimeNs;

/** The file `audit` or `evidence` is given with --snapshot: a guess made before the command line is parsed (the audit checks it). */
export function snapshotArgument(argv: readonly string[]): string | null {
  for (let i = 3; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return null;
    if (arg === '--snapshot') return argv[i + 1] ?? null;
    if (arg.startsWith('--snapshot=')) return arg.slice('--snapshot='.length) || null;
  }
  return null;
}

/** The file read and hashed; null for anything that is not a plain, unchanging, readable file. */
export function prefetchSnapshot(file: string): PrefetchedSnapshot | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) return null;
    const bytes = new Uint8Array(Number(before.size));
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) return null;
      filled += n;
    }
    const read = { identity: identityFrom(before), ctimeNs: before.ctimeNs };
    if (!unchanged(fstatSync(fd, { bigint: true }), read)) return null;
    return { file: resolve(file), ...read, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Posts what prefetchSnapshot found (null included) to the audit thread, the bytes moved there. */
export function postPrefetched(channel: PrefetchChannel, prefetched: PrefetchedSnapshot | null): void {
  channel.port.postMessage(prefetched, prefetched ? [prefetched.bytes.buffer as ArrayBuffer] : []);
  Atomics.store(channel.posted, 0, 1);
  Atomics.notify(channel.posted, 0);
}

let expected: PrefetchChannel | null = null;

/** On the audit thread: the main thread is reading the snapshot and will post it on `channel`. */
export function expectPrefetched(channel: PrefetchChannel): void {
  expected = channel;
}

/** How long the audit waits for the main thread's reading before it reads the file itself. */
const WAIT_MS = 30_000;

/**
 * The prefetched snapshot if it is `file`, unchanged since it was read; else null (read it). Taken
 * once: it waits for the main thread's answer, which is due before the audit gets here.
 */
export function takePrefetched(file: string): PrefetchedSnapshot | null {
  const channel = expected;
  if (!channel) return null;
  expected = null;
  if (Atomics.wait(channel.posted, 0, 0, WAIT_MS) === 'timed-out') return null;
  const prefetched = receiveMessageOnPort(channel.port)?.message as PrefetchedSnapshot | null | undefined;
  channel.port.close();
  if (!prefetched || prefetched.file !== resolve(file)) return null;
  try {
    return unchanged(statSync(file, { bigint: true }), prefetched) ? prefetched : null;
  } catch {
    return null;
  }
}
