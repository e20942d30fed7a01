// Control characters must not reach the terminal, and neither must bidirectional controls (U+061C,
// U+200E/F, U+202A-E, U+2066-9), which reorder what a terminal (or a Markdown viewer) shows so that a
// name could make its line read as something else. They are shown escaped, as \uXXXX.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text that can quote tenant data (names, ids), on one line. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** Many lines of text (a whole output): as printable(), with its line feeds kept. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_BUT_LF, escaped);
}
