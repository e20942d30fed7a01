// JSON pointers (RFC 6901), how an error line or a report names a place in a JSON or YAML document:
// `/` and `~` in a key are written ~1 and ~0, so that the pointer names that key.

/** One key or index as a pointer's reference token. */
export const pointerToken = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** The pointer of a path of keys and indexes ('' is the whole document). */
export const jsonPointer = (path: readonly (string | number)[]): string => path.map((p) => `/${pointerToken(p)}`).join('');

/** A pointer's keys, unescaped ('' and '/' are the whole document). */
export const pointerKeys = (pointer: string): string[] =>
  pointer === '' || pointer === '/' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));

/**
 * `${base}/${index}` as one flat string. A template literal makes a tree of joined pieces (a rope)
 * that lives as long as the text does: the analysis keeps hundreds of thousands of pointers (every
 * user, membership and grant), and their ropes were 20 MiB at 50,000 users, marked at every
 * collection. Array.join makes a flat copy.
 */
export const pointerAt = (base: string, index: number | string): string => [base, index].join('/');
