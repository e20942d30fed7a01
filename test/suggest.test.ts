import { describe, expect, it } from 'vitest';
import { didYouMean, nearest } from '../src/util/suggest.js';

describe('nearest', () => {
  const rules = ['effective-window-too-long', 'effective-window-unbounded', 'standing-access-prod'];

  it('suggests the nearest known name for a typo, ignoring case', () => {
    expect(nearest('effective-window-to-long', rules)).toBe('effective-window-too-long');
    expect(nearest('Standing-Access-Prd', rules)).toBe('standing-access-prod');
  });

  it('suggests nothing for a name far from every known one, or with nothing known', () => {
    expect(nearest('no-such-rule', rules)).toBeNull();
    expect(nearest('x', [])).toBeNull();
    // Sharing a domain does not make two people's names a typo of each other.
    expect(nearest('nobody@northwind.example', ['bob.lee@northwind.example', 'alice.kim@northwind.example'])).toBeNull();
  });

  it('breaks ties the same way every time, whatever the order given', () => {
    expect(nearest('ab', ['ac', 'aa'])).toBe('aa');
    expect(nearest('ab', ['aa', 'ac'])).toBe('aa');
  });

  it('says it as the end of an error line', () => {
    expect(didYouMean('payments-prd', ['payments-prod', 'data-prod'])).toBe('; did you mean "payments-prod"?');
    expect(didYouMean('zzz', ['payments-prod'])).toBe('');
  });
});
