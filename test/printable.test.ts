import { describe, expect, it } from 'vitest';
import { printable } from '../src/cli/main.js';

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
