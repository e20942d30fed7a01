// A worker thread runs a compiled module: next to the sources (untranspiled, as in the unit tests) it
// is not there, and the work stays on the calling thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const compiledWorkerAvailable = (worker: URL): boolean => worker.protocol === 'file:' && existsSync(fileURLToPath(worker));
