// Finding messages: "{{resource.principal.upn}} can hold {{resource.permissionSet.name}} for {{resource.window.total | duration}}".
// Values are inserted as text; each report escapes them for its own format.
import { isoToWords } from '../util/duration.js';

const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w.]*)\s*(?:\|\s*(duration|list|count))?\s*\}\}/g;

export function lookup(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function show(value: unknown, filter: string | undefined): string {
  if (value === undefined || value === null) return filter === 'duration' ? 'unbounded' : '(none)';
  if (filter === 'duration' && typeof value === 'string') return isoToWords(value);
  if (filter === 'count' && Array.isArray(value)) return String(value.length);
  if (Array.isArray(value)) return value.length ? value.map((v) => show(v, undefined)).join(', ') : '(none)';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderMessage(template: string, context: { resource: unknown; params: unknown }): string {
  return template.replace(PLACEHOLDER, (_m, path: string, filter: string | undefined) => show(lookup(context, path), filter));
}

/** The placeholders of a template, to check at load time that each names something real. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
