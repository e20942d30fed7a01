// Errors the user can fix: the CLI prints the one-line message and exits 2, with no stack trace.
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** "file: /json/pointer: what was expected" — the one-line shape of every input error. */
export function inputError(file: string, where: string | null, what: string): InputError {
  return new InputError([file, where, what].filter((part) => part !== null && part !== '').join(': '));
}
