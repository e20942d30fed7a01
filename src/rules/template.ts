// Finding messages: "{{resource.principal.upn}} can hold {{resource.permissionSet.name}} for {{resource.window.total | duration}}".
// Values are inserted as text; each report escapes them for its own format.
import { hasField } from '../util/computed-fields.js';
import { isoToWords } from '../util/duration.js';

const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w.]*)\s*(?:\|\s*(duration|list|count))?\s*\}\}/g;

export function lookup(root: unknown, path: string): unknown {
  return lookupKeys(root, path.split('.'));
}

function show(value: unknown, filter: string | undefined): string {
  if (value === undefined || value === null) return filter === 'duration' ? 'unbounded' : '(none)';
  if (filter === 'duration' && typeof value === 'string') return isoToWords(value);
  if (filter === 'count' && Array.isArray(value)) return String(value.length);
  if (Array.isArray(value)) return value.length ? value.map((v) => show(v, undefined)).join(', ') : '(none)';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

type Context = { resource: unknown; params: unknown; object?: unknown; impact?: unknown };

export function renderMessage(template: string, context: Context): string {
  return compileMessage(template)(context);
}

/** A template parsed once: text and placeholders alternate, each path split already (a rule renders it per finding). */
export function compileMessage(template: string): (context: Context) => string {
  const texts: string[] = [];
  const holes: { keys: string[]; filter: string | undefined }[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    texts.push(template.slice(last, m.index));
    holes.push({ keys: m[1]!.split('.'), filter: m[2] });
    last = m.index + m[0].length;
  }
  texts.push(template.slice(last));
  // Joined, not added up: `+=` leaves a tree of a node per piece, and a large organisation keeps
  // hundreds of thousands of messages until its reports are written; join makes each one flat text.
  // The texts sit at the even places once; each message fills in the odd ones.
  const pieces = texts.flatMap((text, i) => (i ? ['', text] : [text]));
  return (context) => {
    for (let i = 0; i < holes.length; i++) pieces[2 * i + 1] = show(lookupKeys(context, holes[i]!.keys), holes[i]!.filter);
    return pieces.join('');
  };
}

/**
 * The value at a path of own (or class-computed: computed-fields.ts) fields, else undefined: `constructor`, `__proto__`, `toString` and
 * the like are inherited, not data, and must neither pass the load-time check nor print a function.
 */
export function lookupKeys(root: unknown, keys: readonly string[]): unknown {
  let value: unknown = root;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !hasField(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The placeholders of a template, to check at load time that each names something real. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
