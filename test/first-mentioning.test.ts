import { describe, expect, it } from 'vitest';
import { firstMentioning } from '../src/util/first-mentioning.js';

describe('firstMentioning', () => {
  const texts = ['/groups/abc-1/transitiveMembers', '', 'abc', '/groups/abc-12/members', 'xxabc-1yy', '/groups/ABC-1'];
  const items = texts.map((text, i) => ({ i, text }));
  const lookup = firstMentioning(items, (item) => item.text);

  it('finds what find() with includes() finds: the first item whose text holds the id, for ids of any length', () => {
    const ids = ['abc-1', 'abc-12', 'abc', 'ABC-1', 'bc-1', '', 'members', 'nothing', '/groups/abc-1/transitiveMembers', '/groups/abc-1/transitiveMembersX', 'y'];
    for (const id of ids) expect(lookup(id)).toBe(items.find((item) => item.text.includes(id)));
  });

  it('finds nothing among no items', () => {
    expect(firstMentioning([] as string[], (t) => t)('a')).toBeUndefined();
  });
});
