// The audit thread (audit-thread.ts): the command line, run here, and its exit code handed back.
import { parentPort, workerData } from 'node:worker_threads';
import { main } from './main.js';

parentPort!.postMessage(await main((workerData as { argv: string[] }).argv, { tuneHeap: true }));
