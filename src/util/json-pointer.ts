// JSON pointers (RFC 6901), how an error line or a report names a place in a JSON or YAML document:
// `/` and `~` in a key are written ~1 and ~0, so that the pointer names that key.

/** One key or index as a pointer's reference token. */
export const pointerToken = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** The pointer of a path of keys and indexes ('' is the whole document). */
export const jsonPointer = (path: readonly (string | number)[]): string => path.map((p) => `/${pointerToken(p)}`).join('');

/** A pointer's keys, unescaped ('' and '/' are the whole document). */
export const pointerKeys = (pointer: string): string[] =>
  pointer === '' || pointer === '/' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
