// The thread that finds where the audit's resources start in the snapshot file
// (snapshot-positions-thread.ts): one scan for every pointer, then the line and column of each.
import { parentPort, workerData } from 'node:worker_threads';
import type { FileIdentity } from '../model/file-identity.js';
import { withSnapshotFile } from '../model/load-snapshot.js';
import { InputError } from '../util/errors.js';
import { locateJsonPointersInFile } from './json-locator.js';
import { unpacked, type StringColumn } from './json-report-wire.js';

export interface SnapshotPositionsJob {
  file: string;
  identity: FileIdentity;
  pointers: StringColumn;
}

/** Line and column of each pointer in turn, 0 and 0 for one the file does not have. */
export type SnapshotPositionsAnswer = { positions: Int32Array } | { error: string; input: boolean };

const job = workerData as SnapshotPositionsJob;
let answer: SnapshotPositionsAnswer;
let transfer: ArrayBuffer[] = [];
try {
  const pointers = unpacked(job.pointers);
  const found = withSnapshotFile(job, (fd) => locateJsonPointersInFile(fd, pointers));
  const positions = new Int32Array(pointers.length * 2);
  pointers.forEach((pointer, i) => {
    const at = found.get(pointer);
    if (at) positions.set([at.line, at.column], i * 2);
  });
  answer = { positions };
  transfer = [positions.buffer];
} catch (error) {
  answer = { error: (error as Error).message, input: error instanceof InputError };
}
parentPort!.postMessage(answer, transfer);
