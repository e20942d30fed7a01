// Building HTML from hostile data: every interpolation is escaped unless it is already Html.
//
//   html`<td>${group.name}</td>`          → the name as text, whatever it contains
//   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`   → arrays join, nested Html passes through
//
// Tenant strings (group names, UPNs, display names, policy names) are attacker-controlled: a group
// named `<img src=x onerror=alert(1)>` or `</script><script>…` must show as text. There is no way to
// interpolate a raw string except `trusted()`, which is for constants written in this code base.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escape text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  // Control characters other than tab/newline have no business in a report; U+2028/9 are harmless in HTML.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The tagged template: literal parts are trusted (they are this code), interpolations are escaped. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup written in this code base (CSS, the inline script, computed numbers): never tenant data. */
export const trusted = (markup: string): Html => new Html(markup);

/** Join fragments with a separator (the separator is escaped like any string). */
export function join(items: readonly Interpolation[], separator: Interpolation = ''): Html {
  return new Html(items.map(render).join(render(separator)));
}
