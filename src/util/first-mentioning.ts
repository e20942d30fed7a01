// Which item's text holds an id, for many ids at once.

/**
 * `items.find((item) => textOf(item).includes(id))`, for many ids: every stretch of an id's length of
 * every text is indexed once (with the first item that holds it), so each id is one lookup. Thousands
 * of groups each searched hundreds of access reviews' scopes.
 */
export function firstMentioning<T>(items: readonly T[], textOf: (item: T) => string): (id: string) => T | undefined {
  const byLength = new Map<number, Map<string, T>>();
  return (id) => {
    let stretches = byLength.get(id.length);
    if (!stretches) {
      stretches = new Map();
      for (const item of items) {
        const text = textOf(item);
        for (let i = 0; i + id.length <= text.length; i++) {
          const stretch = text.slice(i, i + id.length);
          if (!stretches.has(stretch)) stretches.set(stretch, item);
        }
      }
      byLength.set(id.length, stretches);
    }
    return stretches.get(id);
  };
}
