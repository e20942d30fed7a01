// The config's globs: picomatch's meaning for `*`, `**` and `?` (case ignored), in linear time.
import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { globMatcher } from '../src/util/glob.js';

const BOUND = { timeout: 20_000 };

describe('globMatcher', () => {
  it('means what picomatch means for *, ** and ?, ignoring case', () => {
    const segment = fc.array(fc.constantFrom('a', 'B', '-', '*', '?', '.', 'x'), { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));
    // Segments "." and ".." are navigation to picomatch (it drops a leading "./"): not in these globs.
    const glob = fc
      .array(fc.oneof(segment.filter((s) => s !== '.' && s !== '..'), fc.constant('**')), { minLength: 1, maxLength: 4 })
      .map((ss) => ss.join('/'));
    // Names as the snapshot has them: no empty segment, no "." or ".." segment (picomatch's own rules there).
    const name = fc
      .array(fc.array(fc.constantFrom('a', 'b', 'A', '-', '.', 'x'), { minLength: 1, maxLength: 5 }).map((cs) => cs.join('')), { minLength: 1, maxLength: 4 })
      .filter((ss) => ss.every((s) => s !== '.' && s !== '..'))
      .map((ss) => ss.join('/'));
    // One difference, on purpose: a trailing /** also matches the folder itself after any segment
    // (picomatch: only after a segment with no wildcard), as `Root/**` does in both.
    const trailingAfterWildcard = (g: string) => /(^|\/)[^/]*[*?][^/]*\/\*\*$/.test(g.replace(/(\/\*\*)+$/, '/**'));
    fc.assert(
      // picomatch also reads `*.*` as "a name with an extension" (the part after the dot not empty).
      fc.property(glob.filter((g) => !trailingAfterWildcard(g) && !g.includes('*.*')), name, (g, n) => {
        expect(globMatcher(g)(n), `${g} ~ ${n}`).toBe(picomatch(g, { nocase: true, dot: true })(n));
      }),
      { seed: 20261206, numRuns: 3000 },
    );
  });

  it('matches the default environment globs as documented', () => {
    expect(globMatcher('**/prod')('Root/Workloads/Prod')).toBe(true);
    expect(globMatcher('**/prod/**')('Root/Prod/Payments')).toBe(true);
    expect(globMatcher('*-prod-*')('payments-PROD-eu')).toBe(true);
    expect(globMatcher('*-prod')('payments-prod/x')).toBe(false);
    expect(globMatcher('a.b')('axb')).toBe(false);
    expect(globMatcher('Root/**')('root')).toBe(true);
    expect(globMatcher('*/**')('root')).toBe(true);
  });

  it('finishes on a many-star glob over a long hostile name', BOUND, () => {
    expect(globMatcher('*-*-*-*-prod')('-'.repeat(20000))).toBe(false);
    expect(globMatcher('?*?*?*?*?*?*?*?*?*?*?*z')(`root/${'ab'.repeat(5000)}`)).toBe(false);
  });
});
