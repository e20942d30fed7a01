// Reading user-supplied files: every failure becomes one InputError line naming the file.
import { readFileSync } from 'node:fs';
import * as momoa from '@humanwhocodes/momoa';
import { parseDocument } from 'yaml';
import { inputError, type InputError } from './errors.js';

export function readText(file: string): string {
  return decodeUtf8(file, readBytes(file));
}

export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw unreadable(file, error);
  }
}

/** A file that cannot be read (or stat'ed), in one line. */
export function unreadable(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? 'error'})`;
  return inputError(file, null, why);
}

/** JavaScript strings stop at about 512 MiB: a file larger than that cannot be read as one text. */
export function decodeUtf8(file: string, bytes: Buffer): string {
  if (bytes.length > MAX_STRING_BYTES) {
    throw inputError(file, null, `too large to read as one text (${(bytes.length / 2 ** 20).toFixed(0)} MiB; at most ${MAX_STRING_BYTES / 2 ** 20} MiB)`);
  }
  try {
    return bytes.toString('utf8');
  } catch {
    throw inputError(file, null, `too large to read as one text (${(bytes.length / 2 ** 20).toFixed(0)} MiB)`);
  }
}

const MAX_STRING_BYTES = 512 * 2 ** 20;

export function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse does not always say where; momoa's parser does, with line and column.
    try {
      momoa.parse(text, { mode: 'json' });
    } catch (located) {
      const { line, column, message } = located as { line?: number; column?: number; message: string };
      if (line !== undefined) {
        throw inputError(file, null, `invalid JSON at line ${line}, column ${column}: ${message.replace(/\s*\(\d+:\d+\)$/, '')}`);
      }
    }
    throw inputError(file, null, `invalid JSON: ${(error as Error).message}`);
  }
}

export function parseYaml(file: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const what = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw inputError(file, null, `invalid YAML${where}: ${what}`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}
