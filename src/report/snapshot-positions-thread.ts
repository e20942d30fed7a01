// SARIF's line and column for each finding, found while the rules run. Finding them takes one scan
// of the snapshot file (half a second and more for a large organisation's), and only the findings
// say which pointers SARIF needs; but a finding points at one of the analysis's resources, so a
// thread of its own scans for all of theirs as soon as the analysis is done, on the core the rules
// leave idle. SARIF then looks its pointers up.
import { Worker } from 'node:worker_threads';
import type { Analysis } from '../analyze/types.js';
import type { LoadedSnapshot } from '../model/load-snapshot.js';
import { compiledWorkerAvailable } from '../util/compiled-worker.js';
import { InputError } from '../util/errors.js';
import { documentPointer } from './json-locator.js';
import { packed } from './json-report-wire.js';
import type { Position } from './locations.js';
import type { SnapshotPositionsAnswer, SnapshotPositionsJob } from './snapshot-positions-worker.js';

const WORKER = new URL('./snapshot-positions-worker.js', import.meta.url);

/** Whether the compiled worker is there (it is not when the sources run untranspiled, as in the unit tests). */
export const snapshotPositionsThreadAvailable = (): boolean => compiledWorkerAvailable(WORKER);

/** Where a pointer into the snapshot starts; undefined for one the file does not have. */
export type SnapshotPositions = (pointer: string) => Position | undefined;

export class SnapshotPositionsThread {
  /** Each distinct pointer of the resources, numbered in the order sent. */
  private readonly numbers = new Map<string, number>();
  private readonly worker: Worker;
  private readonly found: Promise<Int32Array>;

  constructor(snapshot: Pick<LoadedSnapshot, 'file' | 'identity'>, resources: Analysis['resources']) {
    const pointers: string[] = [];
    for (const items of Object.values(resources)) {
      for (const { ref } of items) {
        if (ref.file === 'config') continue;
        const pointer = documentPointer(ref.pointer);
        if (this.numbers.has(pointer)) continue;
        this.numbers.set(pointer, pointers.length);
        pointers.push(pointer);
      }
    }
    const job: SnapshotPositionsJob = { file: snapshot.file, identity: snapshot.identity, pointers: packed(pointers) };
    this.worker = new Worker(WORKER, { workerData: job });
    this.found = new Promise<Int32Array>((resolve, reject) => {
      this.worker.once('message', (answer: SnapshotPositionsAnswer) => {
        if ('positions' in answer) resolve(answer.positions);
        // The snapshot changed or went away since it was loaded: the one line the audit would give.
        else reject(answer.input ? new InputError(answer.error) : new Error(answer.error));
      });
      this.worker.once('error', reject);
      // After an answer this changes nothing.
      this.worker.once('exit', (code) => reject(new Error(`snapshot locator stopped (exit code ${code})`)));
    });
    // Handled by positions() or abort().
    this.found.catch(() => undefined);
  }

  /** The positions, once the thread has them (by the end of the rules, it has). */
  async positions(): Promise<SnapshotPositions> {
    const found = await this.found;
    return (pointer) => {
      const n = this.numbers.get(documentPointer(pointer));
      return n === undefined || found[n * 2] === 0 ? undefined : { line: found[n * 2]!, column: found[n * 2 + 1]! };
    };
  }

  /** The audit failed before its reports were made. */
  async abort(): Promise<void> {
    await this.worker.terminate();
  }
}
