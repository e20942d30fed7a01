import { describe, expect, it } from 'vitest';
import { printable } from '../src/cli/main.js';
import { printableLines } from '../src/util/printable.js';

describe('printable (tenant strings on the terminal)', () => {
  it('escapes control characters, so a hostile name cannot drive the terminal', () => {
    expect(printable('group \u001b[2J\u001b]0;pwned\u0007 name\nnext')).toBe('group \\u001b[2J\\u001b]0;pwned\\u0007 name\\u000anext');
  });
  it('escapes bidirectional controls, so a name cannot reorder what the terminal shows', () => {
    expect(printable('admin\u202egnp.exe\u2066x\u2069')).toBe('admin\\u202egnp.exe\\u2066x\\u2069');
  });
  it('leaves ordinary text, including non-Latin letters, alone', () => {
    expect(printable('AWS – Prod Admins (Zürich) 管理者')).toBe('AWS – Prod Admins (Zürich) 管理者');
  });
});

describe('printableLines (a whole output)', () => {
  it('keeps line feeds and escapes the rest as printable() does', () => {
    expect(printableLines('a\u001b[31m\nb\r\u202ec\u0085\n')).toBe('a\\u001b[31m\nb\\u000d\\u202ec\\u0085\n');
  });
});
