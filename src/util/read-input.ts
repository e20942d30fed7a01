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
  return parseJsonText(file, asciiJsonText(bytes), () => bytes);
}

/**
 * JSON from the one-byte text asciiJsonText made, or (null) from the UTF-8 text of the bytes. `bytes`
 * gives the file's bytes again only when they are needed: no one-byte text, or one that is not valid
 * JSON (the UTF-8 text then gives the message, with the line and column the user sees), so a caller
 * need not keep them while a large text is parsed.
 */
export function parseJsonText(file: string, ascii: string | null, bytes: () => Buffer): unknown {
  if (ascii !== null) {
    try {
      return JSON.parse(ascii);
    } catch {
      // Invalid JSON: parsed again below for the message.
    }
  }
  return parseJson(file, decodeUtf8(file, bytes()));
}

/** Looked at with isAscii (SIMD) block by block; only blocks with other bytes are walked. */
const BLOCK = 1 << 16;

/**
 * The JSON text with every non-ASCII character written as `\uXXXX`, or null when that could change
 * its meaning or would not pay: a backslash right before such a character (invalid JSON, which the
 * escape would make valid), text of mostly non-ASCII characters, or text too long for one string.
 */
export function asciiJsonText(bytes: Buffer): string | null {
  const text = new AsciiJsonText(bytes.length);
  // Block by block, as a file read in pieces is: a character cut by a block's end is carried over.
  for (let at = 0; at < bytes.length; at += BLOCK) text.write(bytes.subarray(at, at + BLOCK));
  return text.end();
}

/**
 * asciiJsonText for bytes that come in pieces (a file read a piece at a time, so that its bytes are
 * never all held beside its text). The text is gathered as bytes in one buffer (`expected`: how many
 * there will be, so that it is made once) and made a string at the end: Node keeps a string that long
 * outside V8's heap, so the heap's next limits are not set by a text that lives only until it is parsed.
 * Pieces may be reused by the caller once written.
 */
export class AsciiJsonText {
  private out: Buffer;
  private length = 0;
  private read = 0;
  /** Backslashes at the end of the text so far: an odd number right before a non-ASCII character spoils it. */
  private backslashes = 0;
  /** A run of non-ASCII bytes the last piece ended in: it may go on in the next one. */
  private carry: Buffer | null = null;
  private failed = false;

  constructor(expected = 0) {
    // Room for a few escapes (six bytes for each two to four): the snapshot holds a handful.
    this.out = Buffer.allocUnsafe(expected + (expected >> 8) + BLOCK);
  }

  write(piece: Buffer): void {
    if (this.failed) return;
    this.read += piece.length;
    const data = this.carry ? Buffer.concat([this.carry, piece]) : piece;
    this.carry = null;
    let copied = 0;
    for (let block = 0; block < data.length; block += BLOCK) {
      const end = Math.min(block + BLOCK, data.length);
      if (end <= copied || isAscii(data.subarray(block, end))) continue;
      for (let i = Math.max(block, copied); i < end; i++) {
        if (data[i]! < 0x80) continue;
        let j = i + 1;
        while (j < data.length && data[j]! >= 0x80) j++;
        this.copy(data, copied, i);
        copied = j;
        if (j === data.length) {
          this.carry = Buffer.from(data.subarray(i));
          return;
        }
        this.escape(data, i, j);
        if (this.failed) return;
        i = j - 1;
      }
    }
    this.copy(data, copied, data.length);
  }

  end(): string | null {
    if (this.carry) this.escape(this.carry, 0, this.carry.length);
    this.carry = null;
    // Escapes take six characters for a two- to four-byte character: mostly non-ASCII text is left
    // to the plain decoder, which stores it no larger.
    if (this.failed || this.length > constants.MAX_STRING_LENGTH || this.length > 1.5 * this.read + BLOCK) return null;
    const text = this.out.toString('latin1', 0, this.length);
    this.out = Buffer.alloc(0);
    return text;
  }

  private escape(data: Buffer, from: number, to: number): void {
    if (this.backslashes % 2 === 1) {
      this.failed = true;
      return;
    }
    const escaped = escapeUtf16(data.toString('utf8', from, to));
    this.room(escaped.length);
    this.length += this.out.write(escaped, this.length, 'latin1');
    this.backslashes = 0;
  }

  /** ASCII bytes data[from, to) as they are. */
  private copy(data: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.room(to - from);
    this.length += data.copy(this.out, this.length, from, to);
    let n = 0;
    while (n < to - from && data[to - 1 - n] === BACKSLASH) n++;
    this.backslashes = n === to - from ? this.backslashes + n : n;
  }

  private room(bytes: number): void {
    if (this.length + bytes > constants.MAX_STRING_LENGTH) {
      this.failed = true;
      return;
    }
    if (this.length + bytes <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.length + bytes, Math.ceil(this.out.length * 1.5)));
    this.out.copy(bigger, 0, 0, this.length);
    this.out = bigger;
  }
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
  try {
    // The library refuses a document whose aliases expand more than this (a "billion laughs" bomb)
    // by throwing a ReferenceError: that is bad input, one line and exit 2, not an internal error.
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const what = /alias count/i.test(message) ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}; an alias bomb?)` : message.split('\n')[0]!;
    throw inputError(file, null, `invalid YAML: ${what}`);
  }
}

const MAX_ALIAS_COUNT = 100;
