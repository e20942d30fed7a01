/**
 * Text that can quote tenant data (names, ids): control characters must not reach the terminal, and
 * neither must bidirectional controls (U+061C, U+200E/F, U+202A-E, U+2066-9), which reorder what a
 * terminal shows so that a name could make its line read as something else.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
