import { describe, expect, it } from 'vitest';
import { InputError } from '../src/util/errors.js';
import { asciiJsonText, parseJson, parseJsonBytes } from '../src/util/read-input.js';

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const bytesOf = (text: string) => Buffer.from(text, 'utf8');
/** The message parseJsonBytes gives for bytes, or null when they parse. */
const errorOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
};

describe('parseJsonBytes: JSON bytes through a one-byte string', () => {
  const samples: Record<string, unknown> = {
    ascii: { a: [1, 2.5, true, null], 'b\\"': 'x\u0001' },
    accents: { name: 'Zoë Müller', 'clé': 'café', list: ['naïve', 'Ångström'] },
    astral: { emoji: 'on call 🔥🧯', mixed: 'a🔥b\u2028c\u2029d', cjk: '日本語のグループ' },
    ellipsis: { message: 'Graph said: ?$filter=groupId eq … (action selfActivate)' },
    escapedBackslashThenAccent: { path: 'C:\\é\\\\ü' },
    unicodeEscapesAlready: { a: '\u00e9 and é' },
  };
  for (const [name, value] of Object.entries(samples)) {
    it(`parses ${name} as JSON.parse does, from an ASCII text`, () => {
      const bytes = bytesOf(JSON.stringify(value, null, 2));
      const text = asciiJsonText(bytes);
      expect(text).not.toBeNull();
      expect(ASCII_ONLY.test(text!)).toBe(true);
      expect(JSON.parse(text!)).toEqual(JSON.parse(bytes.toString('utf8')));
      expect(parseJsonBytes('s.json', bytes)).toEqual(value);
    });
  }

  it('keeps a run of non-ASCII characters whole across the blocks it is checked in', () => {
    // A 4-byte character across the 64 KiB boundary, and runs right at either end of the text.
    // '["é🔥","' is 11 bytes and '","' 3: the first 🔥 of the third string starts 2 bytes before 64 KiB.
    const pad = 'x'.repeat(65536 - 2 - 11 - 3);
    const value = ['é🔥', pad, '🔥🔥é', 'ü'.repeat(70000), 'end é'];
    const bytes = bytesOf(JSON.stringify(value));
    expect(bytes.indexOf(bytesOf('🔥🔥'))).toBe(65534);
    expect(parseJsonBytes('s.json', bytes)).toEqual(value);
  });

  it('replaces malformed UTF-8 inside a string as the plain decoder does', () => {
    const bytes = Buffer.concat([bytesOf('{"a":"x'), Buffer.from([0xff, 0xc3]), bytesOf('y", "b": "'), Buffer.from([0xe2, 0x80]), bytesOf('"}')]);
    expect(parseJsonBytes('s.json', bytes)).toEqual(JSON.parse(bytes.toString('utf8')));
    expect((parseJsonBytes('s.json', bytes) as { a: string }).a).toBe('x\ufffd\ufffdy');
  });

  it('goes the plain way where escaping could change the meaning: a backslash before the character', () => {
    // "\é" is invalid JSON; escaped, it would read as a backslash and "u00e9".
    const bytes = bytesOf('{"a": "\\é"}');
    expect(asciiJsonText(bytes)).toBeNull();
    const message = errorOf(() => parseJsonBytes('s.json', bytes));
    expect(message).not.toBeNull();
    expect(message).toBe(errorOf(() => parseJson('s.json', bytes.toString('utf8'))));
  });

  it('gives invalid JSON the message and position of the UTF-8 text', () => {
    for (const text of ['{"a": 1é}', '{"é": "ü",\n  "b": [1,,2]}', '\ufeff{"a": "é"}', '{"a": "é"']) {
      const bytes = bytesOf(text);
      const message = errorOf(() => parseJsonBytes('s.json', bytes));
      expect(message, text).not.toBeNull();
      expect(message, text).toBe(errorOf(() => parseJson('s.json', bytes.toString('utf8'))));
    }
  });

  it('leaves mostly non-ASCII text to the plain decoder, which stores it no larger', () => {
    const value = { names: Array.from({ length: 40 }, (_, i) => `${'名'.repeat(30000)}${i}`) };
    const bytes = bytesOf(JSON.stringify(value));
    expect(asciiJsonText(bytes)).toBeNull();
    expect(parseJsonBytes('s.json', bytes)).toEqual(value);
  });
});
