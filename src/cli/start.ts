// What bin/jitaudit.js runs: the commands that audit go to the audit thread (audit-thread.ts) before
// anything else is loaded — the command line's modules (AWS SDK, Graph client, ajv, CEL…) take 0.4 s
// and 60 MiB to load, and the thread loads them itself; the others run here.
import { MessageChannel } from 'node:worker_threads';
import { auditThreadWanted, onAuditThread } from './audit-thread.js';
import { postPrefetched, prefetchSnapshot, snapshotArgument } from '../model/snapshot-prefetch.js';
import { printable } from '../util/printable.js';

/** `auditEntry`: the audit thread's entry (tests stand one in). */
export async function start(argv: string[], auditEntry?: URL): Promise<number> {
  if (!auditThreadWanted(argv)) {
    const { main } = await import('./main.js');
    return main(argv, { tuneHeap: true });
  }
  // The snapshot is read and hashed here meanwhile (snapshot-prefetch.ts), once the thread is started.
  const snapshot = snapshotArgument(argv);
  const channel = snapshot === null ? null : new MessageChannel();
  const posted = new Int32Array(new SharedArrayBuffer(4));
  try {
    const running = onAuditThread(argv, auditEntry, channel ? { port: channel.port2, posted } : undefined);
    if (channel) {
      postPrefetched({ port: channel.port1, posted }, prefetchSnapshot(snapshot!));
      channel.port1.close();
    }
    return await running;
  } catch (error) {
    // The thread died (out of memory, a crash): main's own errors come back as exit codes. Said as
    // main says an internal error.
    process.stderr.write(`jitaudit: internal error: ${printable((error as Error).message ?? String(error))}\n`);
    if (process.env.JITAUDIT_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    else process.stderr.write('jitaudit: this is a bug; set JITAUDIT_DEBUG=1 for the stack and please report it\n');
    return 3;
  }
}
