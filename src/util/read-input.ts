// Reading user-supplied files: every failure becomes one InputError line naming the file.
import { constants, isAscii } from 'node:buffer';
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

/**
 * JSON bytes parsed from a one-byte string. A snapshot is ASCII but for a few characters (an ellipsis
 * in an error text, a name with an accent); as UTF-8 text, one such character makes V8 store the
 * whole text with two bytes per character (350 MiB for a 176 MiB snapshot). Valid JSON holds such
 * characters only inside strings, where `\uXXXX` means the same: with them escaped, the text is
 * ASCII, decoded at copying speed into half the memory. Any doubt, and every error message, goes
 * the plain way.
 */
export function parseJsonBytes(file: string, bytes: Buffer): unknown {
  const ascii = asciiJsonText(bytes);
  if (ascii !== null) {
    try {
      return JSON.parse(ascii);
    } catch {
      // Invalid JSON: the UTF-8 text gives the message, with the line and column the user sees.
    }
  }
  return parseJson(file, decodeUtf8(file, bytes));
}

/** Looked at with isAscii (SIMD) block by block; only blocks with other bytes are walked. */
const BLOCK = 1 << 16;

/**
 * The JSON text with every non-ASCII character written as `\uXXXX`, or null when that could change
 * its meaning or would not pay: a backslash right before such a character (invalid JSON, which the
 * escape would make valid), text of mostly non-ASCII blocks, or text too long for one string.
 */
export function asciiJsonText(bytes: Buffer): string | null {
  if (bytes.length > MAX_STRING_BYTES) return null;
  if (isAscii(bytes)) return bytes.toString('latin1');
  const pieces: Uint8Array[] = [];
  let copied = 0;
  let length = 0;
  let mixedBlocks = 0;
  const blocks = Math.ceil(bytes.length / BLOCK);
  for (let block = 0; block < bytes.length; block += BLOCK) {
    const end = Math.min(block + BLOCK, bytes.length);
    if (end <= copied || isAscii(bytes.subarray(block, end))) continue;
    if (++mixedBlocks > 16 && mixedBlocks * 4 > blocks) return null;
    for (let i = Math.max(block, copied); i < end; i++) {
      if (bytes[i]! < 0x80) continue;
      let j = i + 1;
      while (j < bytes.length && bytes[j]! >= 0x80) j++;
      let k = i;
      while (k > 0 && bytes[k - 1] === BACKSLASH) k--;
      if ((i - k) % 2 === 1) return null;
      const escaped = Buffer.from(escapeUtf16(bytes.toString('utf8', i, j)), 'latin1');
      pieces.push(bytes.subarray(copied, i), escaped);
      length += i - copied + escaped.length;
      copied = j;
      i = j - 1;
    }
  }
  pieces.push(bytes.subarray(copied));
  length += bytes.length - copied;
  if (length > constants.MAX_STRING_LENGTH) return null;
  return Buffer.concat(pieces, length).toString('latin1');
}

const BACKSLASH = 0x5c;

function escapeUtf16(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
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
