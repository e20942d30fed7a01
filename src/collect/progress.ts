import { printable } from '../util/printable.js';

// Progress on stderr: a live line on a TTY, one line per finished section otherwise (CI), nothing with --quiet.
export type SectionOutcome = 'collected' | 'declared' | 'missing' | 'skipped';

export interface Progress {
  start(section: string): void;
  /** Something happened inside a running section (a page, an account), for the live display. */
  tick(section: string, detail: string): void;
  done(section: string, outcome: SectionOutcome, detail?: string): void;
  close(): void;
}

export function createProgress(options: { quiet: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { start() {}, tick() {}, done() {}, close() {} };
  const live = stream.isTTY === true;
  const running = new Map<string, string>();
  const started = new Map<string, number>();
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
    },
    tick(section, detail) {
      running.set(section, detail);
      redraw();
    },
    done(section, outcome, detail) {
      running.delete(section);
      const seconds = ((Date.now() - (started.get(section) ?? Date.now())) / 1000).toFixed(1);
      if (live) stream.write('\r\u001b[2K');
      stream.write(`${printable(`jitaudit: ${section}: ${outcome}${detail ? ` (${detail})` : ''} in ${seconds} s`)}\n`);
      redraw();
    },
    close() {
      if (live) stream.write('\r\u001b[2K');
    },
  };
}
