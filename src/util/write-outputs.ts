// Writing reports all-or-nothing: every file goes to a temporary name first and is renamed into
// place only when all of them were written, so a failure never leaves half a report set behind.
import { accessSync, closeSync, constants, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError, inputError } from './errors.js';
import { chunksOf, type Rendered } from './json-chunks.js';

const BUFFER_BYTES = 4 << 20;

/**
 * The file's bytes, a buffer at a time: chunks are encoded straight into `buffers` (used in turn),
 * so hundreds of megabytes of report leave no intermediate strings or buffers for the garbage
 * collector. A yielded view must be written before its buffer comes round again.
 */
function* encoded(content: Rendered, buffers: readonly Buffer[]): Generator<Buffer> {
  let turn = 0;
  let buffer = buffers[0]!;
  let used = 0;
  const full = () => {
    const view = buffer.subarray(0, used);
    turn = (turn + 1) % buffers.length;
    buffer = buffers[turn]!;
    used = 0;
    return view;
  };
  for (const chunk of chunksOf(content)) {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (typeof chunk === 'string' && chunk.length * 3 <= BUFFER_BYTES - used) {
      used += buffer.write(chunk, used);
      continue;
    }
    if (used) yield full();
    if (typeof chunk === 'string' && chunk.length * 3 <= BUFFER_BYTES) used = buffer.write(chunk, 0);
    else yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
  if (used) yield full();
}

/** Synchronously (the collector's snapshot: a signal cannot land half-way). */
export function writeRendered(file: string, content: Rendered): void {
  const fd = openSync(file, 'w');
  try {
    writeRenderedAt(fd, content, 0);
  } finally {
    closeSync(fd);
  }
}

/** Synchronously into an open file, from byte `position` on; where the content ends. */
export function writeRenderedAt(fd: number, content: Rendered, position: number): number {
  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  for (const bytes of encoded(content, [buffer])) {
    // writeSync may write less than it was given: go on until every byte is out.
    for (let done = 0; done < bytes.length; ) {
      const n = writeSync(fd, bytes, done, bytes.length - done, position);
      done += n;
      position += n;
    }
  }
  return position;
}

/**
 * Reports: each buffer is handed to the file system (on libuv's threads) while the next one is
 * made, so writing hundreds of megabytes overlaps with producing them.
 */
async function writeRenderedAsync(file: string, content: Rendered): Promise<void> {
  const handle = await open(file, 'w');
  let pending: Promise<unknown> = Promise.resolve();
  const writeAll = async (bytes: Buffer) => {
    for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
  };
  try {
    for (const bytes of encoded(content, [Buffer.allocUnsafe(BUFFER_BYTES), Buffer.allocUnsafe(BUFFER_BYTES)])) {
      await pending;
      pending = writeAll(bytes);
    }
    await pending;
  } finally {
    // A failed write is reported by `pending` above; closing must not hide it.
    await pending.catch(() => undefined);
    await handle.close();
  }
}

export type Output = Rendered;

/** Strings are gathered up to this many characters before a write: report text comes in many small chunks. */
const STREAM_BATCH = 1 << 20;

/**
 * One report to a stream (`--out -`: standard output), chunk by chunk as it is made, so hundreds of
 * megabytes are never one string; the writer waits whenever the pipe is full. A reader that closes
 * the pipe early (`| head`) ends the report, not the audit: EPIPE is the reader's choice, as
 * bin/jitaudit.js treats it, and the summary and the gate's exit code still follow ('closed'). While
 * the report is written, the stream's errors are handled here: bin's own listener would end the
 * process at once, with exit code 0. Any other write error is an error.
 */
export async function writeToStream(content: Rendered, stream: NodeJS.WritableStream = process.stdout): Promise<'written' | 'closed'> {
  const others = stream.listeners('error') as ((error: Error) => void)[];
  stream.removeAllListeners('error');
  let failure: NodeJS.ErrnoException | null = null;
  let wake: (() => void) | null = null;
  const onError = (error: Error) => {
    failure ??= error;
    wake?.();
  };
  stream.on('error', onError);
  // Resolves once `chunk` is handed on and, if the stream asked for it, the pipe has drained (or failed).
  const write = (chunk: string | Buffer, flush = false) =>
    new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        wake = null;
        resolve();
      };
      wake = done;
      const ready = stream.write(chunk, flush ? done : undefined);
      if (!flush) {
        if (ready) done();
        else stream.on('drain', done);
      }
    });
  try {
    let batch: string[] = [];
    let batched = 0;
    const send = async () => {
      if (!batched) return;
      const text = batch.join('');
      batch = [];
      batched = 0;
      await write(text);
    };
    for (const chunk of chunksOf(content)) {
      if (failure) break;
      if (typeof chunk === 'string') {
        batch.push(chunk);
        batched += chunk.length;
        if (batched >= STREAM_BATCH) await send();
      } else {
        await send();
        if (!failure) await write(chunk);
      }
    }
    if (!failure) await send();
    // Until the last bytes are out: a late EPIPE is still the reader's choice.
    if (!failure) await write('', true);
  } finally {
    stream.off('error', onError);
    for (const listener of others) stream.on('error', listener);
  }
  if (!failure) return 'written';
  if ((failure as NodeJS.ErrnoException).code === 'EPIPE') return 'closed';
  throw inputError('-', null, `cannot write the report to standard output (${errorCode(failure)})`);
}

/** Where a report is written before it is renamed into place. */
export const temporaryFile = (target: string): string => `${target}.tmp-${process.pid}`;

/**
 * Every file to a temporary name, then every one renamed into place: all replaced, or none. What would
 * make a rename fail (a folder where a report goes, a file that may not be replaced) is checked before
 * anything is written and again before anything is renamed; on any failure, and on SIGINT or SIGTERM
 * meanwhile, the temporary files are removed.
 */
export async function writeOutputs(dir: string, files: Map<string, Output>): Promise<string[]> {
  const outputs = [...files].map(([name, content]) => {
    const target = join(dir, name);
    return { target, temp: temporaryFile(target), content };
  });
  const removeTemps = () => {
    for (const { temp } of outputs) removeQuietly(temp);
  };
  // Only while writing: the temporary files go, then the signal is raised again with no handler left,
  // so the process ends as that signal would have ended it (130 for Ctrl-C in a shell).
  const onSignal = (signal: NodeJS.Signals) => {
    removeTemps();
    uninstall();
    process.kill(process.pid, signal);
  };
  const uninstall = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    try {
      makeDirectory(dir);
      for (const { target } of outputs) checkReplaceable(target);
      for (const { temp, content } of outputs) await writeRenderedAsync(temp, content);
      // Again, right before: the folder may have changed while hundreds of megabytes were written.
      for (const { target } of outputs) checkReplaceable(target);
    } catch (error) {
      removeTemps();
      // A report that cannot be made (the snapshot changed under it…) says so itself.
      if (error instanceof InputError) throw error;
      throw cannotWriteReports(dir, error);
    }
    // Synchronous, so no signal handler runs between two renames.
    for (let i = 0; i < outputs.length; i++) {
      try {
        renameSync(outputs[i]!.temp, outputs[i]!.target);
      } catch (error) {
        // Not foreseeable by the checks above (the file system changed in between): say which were replaced.
        removeTemps();
        const done = outputs.slice(0, i).map(({ target }) => target);
        throw inputError(outputs[i]!.target, null, `cannot replace it (${errorCode(error)})${done.length ? `; already replaced: ${done.join(', ')}` : ''}`);
      }
    }
  } finally {
    uninstall();
  }
  return outputs.map(({ target }) => target);
}

/** A report may take `target`'s place: nothing is there, or a file (or link) that may be replaced. */
function checkReplaceable(target: string): void {
  let stats;
  try {
    stats = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw inputError(target, null, `cannot replace it (${errorCode(error)})`);
  }
  if (stats.isDirectory()) throw inputError(target, null, 'is a folder, not a file: remove or rename it, or choose another --out');
  if (!stats.isSymbolicLink()) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw inputError(target, null, `is not writable (${errorCode(error)}): make it writable or choose another --out`);
    }
  }
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** The output folder `dir` (as the user gave it) could not take the reports: why, in one line. */
export function cannotWriteReports(dir: string, error: unknown): InputError {
  return inputError(dir, null, `cannot write reports (${errorCode(error)})`);
}

/** A temporary file removed if it is there; a path that cannot hold it (a file on the way) has nothing to remove. */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // ENOTDIR and the like: nothing was written there.
  }
}

/**
 * `mkdir -p`, returning the first folder it made (undefined when the folder was there), as
 * mkdirSync's recursive option does: Node 20's own spins forever where a parent exists but cannot
 * hold a child (a folder under /proc). Here a parent is made once, and the child tried once more.
 */
export function makeDirectory(dir: string): string | undefined {
  try {
    mkdirSync(dir);
    return dir;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return undefined;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    const first = makeDirectory(parent);
    mkdirSync(dir);
    return first ?? dir;
  }
}
