// Writing reports all-or-nothing: every file goes to a temporary name first and is renamed into
// place only when all of them were written, so a failure never leaves half a report set behind.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from './errors.js';
import { chunksOf, type Rendered } from './json-chunks.js';

/** writeSync may write less than it was given: go on until every byte is out. */
function writeAll(fd: number, data: string | Buffer): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

export function writeRendered(file: string, content: Rendered): void {
  const fd = openSync(file, 'w');
  try {
    // Small chunks are gathered into writes of about 1 MiB.
    let buffer = '';
    for (const chunk of chunksOf(content)) {
      if (Buffer.isBuffer(chunk)) {
        if (buffer) writeAll(fd, buffer);
        buffer = '';
        writeAll(fd, chunk);
        continue;
      }
      buffer += chunk;
      if (buffer.length >= 1 << 20) {
        writeAll(fd, buffer);
        buffer = '';
      }
    }
    if (buffer) writeAll(fd, buffer);
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
