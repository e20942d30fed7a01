// report.json written on a thread of its own, beside SARIF and HTML on the main thread: at 300,000
// paths the JSON is half a gigabyte, and writing it is the longest part of a large audit.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { FileWriter } from '../util/write-outputs.js';
import type { AuditResult } from './audit-result.js';
import { jsonReportHead, reportBatches } from './json-report.js';
import type { JsonReportJob } from './json-report-worker.js';

const WORKER = new URL('./json-report-worker.js', import.meta.url);
const BATCH = 5000;
/** Batches posted and not yet written. */
const AHEAD = 4;

/** Whether the compiled worker is there (it is not when the sources run untranspiled, as in the unit tests). */
export const jsonReportThreadAvailable = (): boolean => WORKER.protocol === 'file:' && existsSync(fileURLToPath(WORKER));

export function jsonReportOnThread(result: AuditResult): FileWriter {
  return {
    writeFile: (file) =>
      new Promise<void>((resolve, reject) => {
        const paths = result.analysis.accessPaths;
        const findings = result.findings;
        const { port1, port2 } = new MessageChannel();
        const posted = new Int32Array(new SharedArrayBuffer(4));
        const job: JsonReportJob = { file, head: jsonReportHead(result), pathCount: paths.length, findingCount: findings.length, port: port2, posted };
        const worker = new Worker(WORKER, { workerData: job, transferList: [port2] });
        let settled = false;
        let consumed = 0;
        let wake: (() => void) | null = null;
        const settle = (error?: Error) => {
          if (settled) return;
          settled = true;
          port1.close();
          wake?.();
          if (error) reject(error);
          else resolve();
        };
        worker.on('message', (m: { consumed?: number; done?: true; error?: string }) => {
          if (m.consumed !== undefined) {
            consumed = m.consumed;
            wake?.();
          } else settle(m.error ? Object.assign(new Error(m.error), { code: m.error }) : undefined);
        });
        worker.on('error', (error) => settle(error));
        worker.on('exit', (code) => settle(new Error(`report.json writer stopped (exit code ${code})`)));
        // A few batches ahead of the thread, no more: the others wait here as part numbers, not as
        // copies. Between batches this thread makes the other reports.
        const pump = async () => {
          const batches = reportBatches(paths, findings.map((f) => f.finding), BATCH);
          let sent = 0;
          const post = async (batch: object) => {
            while (!settled && sent - consumed >= AHEAD) await new Promise<void>((r) => (wake = r));
            if (settled) return;
            port1.postMessage(batch);
            sent++;
            Atomics.add(posted, 0, 1);
            Atomics.notify(posted, 0);
          };
          for (const batch of batches.paths()) await post(batch);
          for (const batch of batches.findings()) await post(batch);
        };
        pump().catch((error: Error) => settle(error));
      }),
  };
}
