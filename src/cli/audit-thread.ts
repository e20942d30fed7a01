// The commands that audit run on a thread of their own, for the one V8 setting a running isolate
// cannot change: the size of its young generation. A large organisation's audit makes hundreds of
// megabytes of objects that live until its reports are written (paths, findings); with V8's default
// 16 MiB semi-spaces they are copied by some 300 scavenges. A thread's isolate is made with limits of
// its own: 32 MiB semi-spaces took 0.3 s off the audit of 50,000 users (medians of five runs; up to
// 0.8 s in single runs), for no more memory at the peak (docs/benchmark.md). `collect` stays on the main thread: only it receives signals (Ctrl-C
// must remove its temporary snapshot).
// node --max-semi-space-size=N (or --min-semi-space-size) is respected: the command then runs on the
// main thread, as node was told.
import { Worker } from 'node:worker_threads';
import type { PrefetchChannel } from '../model/snapshot-prefetch.js';

/** What the audit thread is started with: the command line, and where the snapshot read for it comes (start.ts). */
export interface AuditThreadData {
  argv: string[];
  prefetch?: PrefetchChannel;
}

/** V8 makes the young generation three semi-spaces' worth: 96 MiB → semi-spaces of 32 MiB (default 16). */
export const AUDIT_YOUNG_GENERATION_MB = 96;

const AUDITING = new Set(['audit', 'evidence']);

const AUDIT_WORKER = new URL('./audit-worker.js', import.meta.url);

/** Whether this command line (process.argv) runs on the audit thread. */
export function auditThreadWanted(argv: readonly string[], execArgv: readonly string[] = process.execArgv): boolean {
  if (!AUDITING.has(argv[2] ?? '')) return false;
  return !execArgv.some((arg) => /^--(max|min)[-_]semi[-_]space[-_]size\b/.test(arg));
}

/**
 * The command line run by `entry` on the audit thread: its exit code. Its output reaches this
 * process's stdout and stderr through Node's forwarding, whole, before the thread is reported ended.
 * A thread that dies (out of memory, a crash) rejects: start.ts reports it as an internal error.
 */
export function onAuditThread(argv: readonly string[], entry: URL = AUDIT_WORKER, prefetch?: PrefetchChannel): Promise<number> {
  return new Promise((resolve, reject) => {
    const data: AuditThreadData = { argv: [...argv], prefetch };
    const worker = new Worker(entry, {
      workerData: data,
      transferList: prefetch ? [prefetch.port] : [],
      resourceLimits: { maxYoungGenerationSizeMb: AUDIT_YOUNG_GENERATION_MB },
    });
    let code: number | null = null;
    let failure: Error | null = null;
    worker.on('message', (message: unknown) => {
      if (typeof message === 'number') code = message;
    });
    worker.on('error', (error) => (failure ??= error));
    worker.on('exit', () => {
      if (failure) reject(failure);
      else if (code === null) reject(new Error('the audit thread ended without an exit code'));
      else resolve(code);
    });
  });
}
