// The thread that writes report.json (json-report-thread.ts): first the access paths, at their place
// in the file after the head's room, while the main thread runs the rules; then, given the head, the
// head into its room and the findings as they are posted. The file is made under a scratch name and
// takes report.json's temporary name once the rules are done: nothing is copied.
import { closeSync, openSync, renameSync, rmSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { jsonChunksAt } from '../util/json-chunks.js';
import { writeRenderedAt } from '../util/write-outputs.js';
import { ACCESS_PATHS_DEPTH, findingLines, jsonReportPrefix, jsonReportSuffix, pathLines, type JsonReportHead } from './json-report.js';
import { LineRenderer, type FindingBatch, type PathBatch } from './json-report-wire.js';

export interface JsonReportJob {
  /** The file report.json is written to until the rules are done (then it takes report.json's temporary name). */
  scratch: string;
  /** The bytes before the access paths, kept for the head (jsonReportHeadRoom). */
  headRoom: number;
  pathCount: number;
  /** The path batches, then a JsonReportFinish, then the finding batches, in the order they were encoded. */
  port: MessagePort;
  /** [0]: how many messages were posted (this thread sleeps on it), [1]: how many this thread has taken. */
  counts: Int32Array;
}

/** What the rules have made: where report.json goes, its head and how many findings follow. */
export interface JsonReportFinish {
  file: string;
  head: JsonReportHead;
  findingCount: number;
}

const job = workerData as JsonReportJob;

/** The next message, waited for without leaving the synchronous writer. */
function next<T>(): T {
  for (;;) {
    const seen = Atomics.load(job.counts, 0);
    const received = receiveMessageOnPort(job.port);
    if (received) return received.message as T;
    Atomics.wait(job.counts, 0, seen, 1000);
  }
}

let taken = 0;

/** Tells the main thread one more message is dealt with (its count, then a message to wake it). */
function took(): void {
  Atomics.store(job.counts, 1, ++taken);
  parentPort!.postMessage({ taken: true });
}

function* batches<T extends PathBatch | FindingBatch>(count: number): Generator<T> {
  for (let left = count; left > 0; ) {
    const batch = next<T>();
    left -= 'ids' in batch ? batch.ids.ends.length : batch.messages.ends.length;
    yield batch;
    // Written: the main thread may post another.
    took();
  }
}

try {
  const lines = new LineRenderer();
  const fd = openSync(job.scratch, 'w');
  try {
    const paths = pathLines(job.pathCount, () => batches<PathBatch>(job.pathCount), lines);
    const pathsEnd = writeRenderedAt(fd, () => jsonChunksAt(paths, ACCESS_PATHS_DEPTH), job.headRoom);
    const finish = next<JsonReportFinish>();
    took();
    renameSync(job.scratch, finish.file);
    writeRenderedAt(fd, jsonReportPrefix(finish.head, job.headRoom), 0);
    const findings = findingLines(finish.findingCount, () => batches<FindingBatch>(finish.findingCount), lines);
    writeRenderedAt(fd, () => jsonReportSuffix(findings), pathsEnd);
  } finally {
    closeSync(fd);
  }
  parentPort!.postMessage({ done: true });
} catch (error) {
  // Under its scratch name still, or else report.json's temporary file, which writeOutputs removes.
  rmSync(job.scratch, { force: true });
  const e = error as NodeJS.ErrnoException;
  parentPort!.postMessage({ error: e.code ?? e.message });
}
