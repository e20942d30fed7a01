// The audit thread (audit-thread.ts): the command line, run here, and its exit code handed back.
import { parentPort, workerData } from 'node:worker_threads';
import { expectPrefetched } from '../model/snapshot-prefetch.js';
import type { AuditThreadData } from './audit-thread.js';
import { main } from './main.js';

const data = workerData as AuditThreadData;
if (data.prefetch) expectPrefetched(data.prefetch);
parentPort!.postMessage(await main(data.argv, { tuneHeap: true }));
