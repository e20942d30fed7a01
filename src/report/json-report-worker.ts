// The thread that writes report.json (json-report-thread.ts): first the access paths' part of the
// file, to a scratch file, while the main thread runs the rules; then, given the head, report.json
// itself, with the paths copied from the scratch file and the findings as they are posted.
import { rmSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { jsonChunksAt, RawJson } from '../util/json-chunks.js';
import { fileChunks } from '../util/read-input.js';
import { writeRendered } from '../util/write-outputs.js';
import { ACCESS_PATHS_DEPTH, findingLines, jsonReportChunks, pathLines, type JsonReportHead } from './json-report.js';
import { LineRenderer, type FindingBatch, type PathBatch } from './json-report-wire.js';

export interface JsonReportJob {
  /** Where the access paths' part of report.json is written, as it stands in the file. */
  scratch: string;
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
  writeRendered(job.scratch, () => jsonChunksAt(pathLines(job.pathCount, () => batches<PathBatch>(job.pathCount), lines), ACCESS_PATHS_DEPTH));
  const finish = next<JsonReportFinish>();
  took();
  const findings = findingLines(finish.findingCount, () => batches<FindingBatch>(finish.findingCount), lines);
  writeRendered(finish.file, () => jsonReportChunks(finish.head, new RawJson(() => fileChunks(job.scratch)), findings));
  rmSync(job.scratch);
  parentPort!.postMessage({ done: true });
} catch (error) {
  rmSync(job.scratch, { force: true });
  const e = error as NodeJS.ErrnoException;
  parentPort!.postMessage({ error: e.code ?? e.message });
}
