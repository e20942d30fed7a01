// The thread that writes report.json while the main thread makes the other reports: it is given the
// head, then takes the batches of paths and findings (json-report-wire.ts) as they are posted.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { writeRendered } from '../util/write-outputs.js';
import { jsonReportChunks, type JsonReportHead } from './json-report.js';
import type { FindingBatch, PathBatch } from './json-report-wire.js';

export interface JsonReportJob {
  file: string;
  head: JsonReportHead;
  pathCount: number;
  findingCount: number;
  /** The batches, paths first, in the order they were encoded. */
  port: MessagePort;
  /** How many batches were posted: the thread sleeps on it until the next one is there. */
  posted: Int32Array;
}

const job = workerData as JsonReportJob;

/** The next batch, waited for without leaving the synchronous writer. */
function next<T>(): T {
  for (;;) {
    const seen = Atomics.load(job.posted, 0);
    const received = receiveMessageOnPort(job.port);
    if (received) return received.message as T;
    Atomics.wait(job.posted, 0, seen, 1000);
  }
}

let consumed = 0;

function* batches<T extends PathBatch | FindingBatch>(count: number): Generator<T> {
  for (let left = count; left > 0; ) {
    const batch = next<T>();
    left -= 'ids' in batch ? batch.ids.ends.length : batch.messages.ends.length;
    yield batch;
    // Written: the main thread may post another.
    parentPort!.postMessage({ consumed: ++consumed });
  }
}

try {
  writeRendered(
    job.file,
    () => jsonReportChunks(job.head, {
      pathCount: job.pathCount,
      findingCount: job.findingCount,
      paths: () => batches<PathBatch>(job.pathCount),
      findings: () => batches<FindingBatch>(job.findingCount),
    }),
  );
  parentPort!.postMessage({ done: true });
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  parentPort!.postMessage({ error: e.code ?? e.message });
}
