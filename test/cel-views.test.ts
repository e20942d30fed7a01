import { describe, expect, it } from 'vitest';
import { CelViews, celDuration } from '../src/rules/cel.js';

describe('CelViews', () => {
  const durations = ['window.total', 'session'];
  const timestamps = ['schedule.end'];

  it('gives CEL ints, durations and timestamps where the type says, and leaves the data unchanged', () => {
    const window = { total: 'PT10H40M', count: 2, ratio: 0.5, list: ['PT1H', 3] };
    const data = { session: 'PT1H', window, schedule: { end: '2026-10-01T00:00:00Z' }, other: 'PT1H', n: 1, flag: false, none: null };
    const before = structuredClone(data);
    const view = new CelViews(durations, timestamps).view(data);
    expect(view).toEqual({
      session: celDuration('PT1H'),
      window: { total: celDuration('PT10H40M'), count: 2n, ratio: 0.5, list: ['PT1H', 3n] },
      schedule: { end: new Date('2026-10-01T00:00:00Z') },
      other: 'PT1H',
      n: 1n,
      flag: false,
      none: null,
    });
    expect(data).toEqual(before);
  });

  it('converts a sub-object shared by many items once, where it stands in the type', () => {
    const window = { total: 'PT2H' };
    const views = new CelViews(durations, timestamps);
    const a = views.view({ window, copy: window });
    const b = views.view({ window });
    expect(a.window).toBe(b.window);
    expect(a.window).toEqual({ total: celDuration('PT2H') });
    // The same object elsewhere in the item is not a duration field: it is converted on its own terms.
    expect(a.copy).toEqual({ total: 'PT2H' });
  });

  it('lets an object of strings, booleans and nulls be its own view, and still converts any other', () => {
    const principal = { upn: 'a@example.com', enabled: true, manager: null };
    const withNumber = { name: 'x', count: 3 };
    const withObject = { tags: { env: 'prod' } };
    const described = { end: '2026-10-01T00:00:00Z' };
    const list = ['a'];
    const view = new CelViews(durations, ['described.end']).view({ principal, withNumber, withObject, described, list });
    expect(view.principal).toBe(principal);
    expect(view.withNumber).toEqual({ name: 'x', count: 3n });
    expect(view.withObject).not.toBe(withObject);
    expect((view.withObject as { tags: unknown }).tags).toBe(withObject.tags);
    expect(view.described).toEqual({ end: new Date('2026-10-01T00:00:00Z') });
    // Arrays are always copied: CEL lists hold converted elements.
    expect(view.list).not.toBe(list);
    expect(view.list).toEqual(['a']);
  });
});
