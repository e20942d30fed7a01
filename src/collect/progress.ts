import { printable } from '../util/printable.js';

// Progress on stderr: a live line on a TTY; otherwise (CI logs) one line per finished section, and a
// heartbeat every 30 s for a section still running, so that a CI job killed after some minutes
// without output does not kill a long collection. Nothing with --quiet.
export type SectionOutcome = 'collected' | 'declared' | 'missing' | 'skipped';

export interface Progress {
  start(section: string): void;
  /** Something happened inside a running section (a page, an account), for the live display. */
  tick(section: string, detail: string): void;
  done(section: string, outcome: SectionOutcome, detail?: string): void;
  close(): void;
}

/** How often a section still running says so when stderr is not a terminal. */
export const HEARTBEAT_MS = 30_000;

/** "45s", "2m30s", "1h02m00s": how long a section has been running. */
export function elapsedWords(ms: number): string {
  const total = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`;
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** Thousands separators in a detail's counts ("1234/5000 requests" -> "1,234/5,000 requests"): easier to read in a log. */
const grouped = (detail: string) => detail.replace(/\d{4,}/g, (n) => Number(n).toLocaleString('en-US'));

export function createProgress(options: { quiet: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { start() {}, tick() {}, done() {}, close() {} };
  const live = stream.isTTY === true;
  const running = new Map<string, string>();
  const started = new Map<string, number>();
  const heartbeats = new Map<string, ReturnType<typeof setInterval>>();
  const stopHeartbeat = (section: string) => {
    clearInterval(heartbeats.get(section));
    heartbeats.delete(section);
  };
  const redraw = () => {
    if (!live) return;
    const text = [...running.entries()].map(([s, d]) => (d ? `${s} (${d})` : s)).join(', ');
    stream.write(`\r\u001b[2K${text ? printable(`collecting: ${text}`).slice(0, (stream.columns ?? 100) - 1) : ''}`);
  };
  return {
    start(section) {
      running.set(section, '');
      started.set(section, Date.now());
      redraw();
      if (live) return;
      stopHeartbeat(section);
      const timer = setInterval(() => {
        const detail = running.get(section);
        const elapsed = elapsedWords(Date.now() - (started.get(section) ?? Date.now()));
        stream.write(`${printable(`jitaudit: still collecting ${section}: ${detail ? `${grouped(detail)}, ` : ''}${elapsed}`)}\n`);
      }, HEARTBEAT_MS);
      // A heartbeat never keeps the process alive on its own.
      timer.unref?.();
      heartbeats.set(section, timer);
    },
    tick(section, detail) {
      running.set(section, detail);
      redraw();
    },
    done(section, outcome, detail) {
      running.delete(section);
      stopHeartbeat(section);
      const seconds = ((Date.now() - (started.get(section) ?? Date.now())) / 1000).toFixed(1);
      if (live) stream.write('\r\u001b[2K');
      stream.write(`${printable(`jitaudit: ${section}: ${outcome}${detail ? ` (${detail})` : ''} in ${seconds} s`)}\n`);
      redraw();
    },
    close() {
      for (const section of [...heartbeats.keys()]) stopHeartbeat(section);
      if (live) stream.write('\r\u001b[2K');
    },
  };
}
