// Writing reports all-or-nothing: every file goes to a temporary name first and is renamed into
// place only when all of them were written, so a failure never leaves half a report set behind.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from './errors.js';
import { chunksOf, type Rendered } from './json-chunks.js';

/** writeSync may write less than it was given: go on until every byte is out. */
function writeAll(fd: number, bytes: Buffer, length = bytes.length): void {
  for (let done = 0; done < length; ) done += writeSync(fd, bytes, done, length - done);
}

const BUFFER_BYTES = 4 << 20;

export function writeRendered(file: string, content: Rendered): void {
  const fd = openSync(file, 'w');
  try {
    // Chunks are encoded straight into one reused buffer, written when full: no intermediate strings
    // or buffers for the garbage collector, however many hundreds of megabytes the file is.
    const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    let used = 0;
    for (const chunk of chunksOf(content)) {
      if (typeof chunk === 'string' && chunk.length * 3 <= BUFFER_BYTES - used) {
        used += buffer.write(chunk, used);
        continue;
      }
      writeAll(fd, buffer, used);
      used = 0;
      if (typeof chunk === 'string' && chunk.length * 3 <= BUFFER_BYTES) used = buffer.write(chunk, 0);
      else writeAll(fd, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    }
    writeAll(fd, buffer, used);
  } finally {
    closeSync(fd);
  }
}

export function writeOutputs(dir: string, files: Map<string, Rendered>): string[] {
  const temps: [string, string][] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of files) {
      const target = join(dir, name);
      const temp = `${target}.tmp-${process.pid}`;
      writeRendered(temp, content);
      temps.push([temp, target]);
    }
  } catch (error) {
    for (const [temp] of temps) rmSync(temp, { force: true });
    throw inputError(dir, null, `cannot write reports (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  for (const [temp, target] of temps) renameSync(temp, target);
  return temps.map(([, target]) => target);
}
