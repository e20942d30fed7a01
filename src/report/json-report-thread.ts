// report.json written on a thread of its own. At 300,000 paths the JSON is half a gigabyte, and
// writing it was the longest part of a large audit; now it overlaps with the rest:
//   1. once the analysis is done, the access paths go to the thread, which writes them where they
//      stand in report.json, after the room its head can take (jsonReportHeadRoom), while this
//      thread runs the rules;
//   2. once the rules are done, the thread writes the head into that room and the findings after
//      the paths, as this thread encodes and posts them: up to AHEAD batches before it makes the
//      HTML, the others between pieces of SARIF as the thread takes them.
import { rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { compiledWorkerAvailable } from '../util/compiled-worker.js';
import { cannotWriteReports, makeDirectory, temporaryFile, type FileWriter } from '../util/write-outputs.js';
import type { AnalysedAudit, AuditResult } from './audit-result.js';
import { batchesOf, jsonReportHead, jsonReportHeadRoom } from './json-report.js';
import type { JsonReportFinish, JsonReportJob } from './json-report-worker.js';
import { WireEncoder } from './json-report-wire.js';

const WORKER = new URL('./json-report-worker.js', import.meta.url);
const BATCH = 5000;
/**
 * Batches posted and not yet taken: the others wait here as part numbers, not as copies. A batch of
 * findings is about 3.6 MiB on its way; forty are all of L's 195,000 findings, posted before this
 * thread makes the HTML, so the thread writes them meanwhile (eight, as before the paths were written
 * in place, kept it waiting after the HTML: 0.2-0.4 s more at L, for the same peak).
 */
const AHEAD = 40;
/**
 * The thread's young generation (V8's default is 48 MiB): what it makes there, lines of JSON, dies at
 * once, so a small one costs no time, and at 300,000 paths it kept about 150 MiB off the audit's peak.
 */
const YOUNG_GENERATION_MB = 12;

/** Whether the compiled worker is there (it is not when the sources run untranspiled, as in the unit tests). */
export const jsonReportThreadAvailable = (): boolean => compiledWorkerAvailable(WORKER);

export class JsonReportThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /**
   * How many messages were posted (the thread sleeps on it until the next one is there) and how many
   * it has taken (read here without waiting for its messages, which only wake this thread up).
   */
  private readonly counts = new Int32Array(new SharedArrayBuffer(8));
  private readonly encoder = new WireEncoder();
  private readonly scratch: string;
  private readonly dir: string;
  /** The first folder this made on the way to the output folder (removed again if the audit fails before writing). */
  private readonly madeDir: string | undefined;
  private readonly outcome: Promise<void>;
  /** report.json's temporary file, once the thread was told to write it. */
  private file: string | undefined;
  private settled = false;
  private sent = 0;
  private wake: (() => void) | null = null;
  private readonly batch: number;

  /** Starts the thread on the audit's paths at once: it writes them while this thread goes on (the rules). */
  constructor(audit: AnalysedAudit, dir: string, options: { batch?: number } = {}) {
    const paths = audit.analysis.accessPaths;
    this.batch = options.batch ?? BATCH;
    this.dir = resolve(dir);
    try {
      this.madeDir = makeDirectory(this.dir);
    } catch (error) {
      throw cannotWriteReports(dir, error);
    }
    this.scratch = join(this.dir, `report.json.tmp-${process.pid}.paths`);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const job: JsonReportJob = { scratch: this.scratch, headRoom: jsonReportHeadRoom(audit), pathCount: paths.length, port: port2, counts: this.counts };
    this.worker = new Worker(WORKER, { workerData: job, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.outcome = new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        if (this.settled) return;
        this.settled = true;
        this.port.close();
        this.wake?.();
        if (error) reject(error);
        else resolve();
      };
      this.worker.on('message', (m: { taken?: true; done?: true; error?: string }) => {
        if (m.taken) this.wake?.();
        else settle(m.error ? Object.assign(new Error(m.error), { code: m.error }) : undefined);
      });
      this.worker.on('error', (error) => settle(error));
      this.worker.on('exit', (code) => settle(new Error(`report.json writer stopped (exit code ${code})`)));
    });
    // Handled when the report is written (writer) or the audit gives up (abort).
    this.outcome.catch(() => undefined);
    // All at once: this thread is busy with the rules until the thread has written them.
    for (const batch of batchesOf(paths, (slice) => this.encoder.paths(slice), this.batch)) this.post(batch);
  }

  private post(message: object): void {
    this.port.postMessage(message);
    this.sent++;
    Atomics.add(this.counts, 0, 1);
    Atomics.notify(this.counts, 0);
  }

  /** The findings, batch by batch: as many as AHEAD at once, the others as the thread takes them. */
  private async postFindings(findings: AuditResult['findings']): Promise<void> {
    for (const batch of batchesOf(findings, (slice) => this.encoder.findings(slice.map((f) => f.finding)), this.batch)) {
      while (!this.settled && this.sent - Atomics.load(this.counts, 1) >= AHEAD) await new Promise<void>((r) => (this.wake = r));
      if (this.settled) return;
      this.post(batch);
    }
  }

  /**
   * `name` (report.json) of the audit whose paths this thread has. The thread starts on it at once,
   * at the temporary name writeOutputs gives it: the head, then the findings as they are posted (up
   * to AHEAD batches now, written while this thread makes the HTML; the others between pieces of SARIF).
   */
  writer(result: AuditResult, name: string): FileWriter {
    this.file = temporaryFile(join(this.dir, name));
    const finish: JsonReportFinish = { file: this.file, head: jsonReportHead(result), findingCount: result.findings.length };
    if (!this.settled) this.post(finish);
    const posting = this.postFindings(result.findings);
    // Awaited by writeFile; an audit that fails before that aborts the thread.
    posting.catch(() => undefined);
    return {
      writeFile: async (file) => {
        if (resolve(file) !== this.file) throw new Error(`report.json thread: asked to write ${file}, writing ${this.file}`);
        await posting;
        await this.outcome;
      },
    };
  }

  /** The audit failed before its reports were written: stop the thread, leave nothing behind. */
  async abort(): Promise<void> {
    await this.worker.terminate();
    rmSync(this.scratch, { force: true });
    if (this.file) rmSync(this.file, { force: true });
    if (!this.madeDir) return;
    // The folders made, innermost first; one that is not empty (something else is in it now) stays.
    for (let dir = this.dir; ; dir = dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        return;
      }
      if (dir === this.madeDir) return;
    }
  }
}
