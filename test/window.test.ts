import { describe, expect, it } from 'vitest';
import { effectiveWindow, term, unboundedTerm, type WindowTerms } from '../src/analyze/window.js';

const p = { status: 'collected' as const, source: 'test' };
const blog = (scimLag: string): WindowTerms => ({
  activation: term('PT1H', p),
  scimLag: term(scimLag, p),
  portalSession: term('PT8H', { status: 'default', source: 'AWS default' }),
  permissionSetSession: term('PT1H', p),
});

describe('effective access window', () => {
  it('the AWS blog example without the SCIM lag: a 1-hour activation lasts 10 hours', () => {
    const w = effectiveWindow(blog('PT0S'));
    expect(w).toMatchObject({ total: 'PT10H', unbounded: false, known: true });
  });

  it('the AWS blog example with the default 40-minute provisioning interval: 10 h 40 min', () => {
    expect(effectiveWindow(blog('PT40M')).total).toBe('PT10H40M');
  });

  it('keeps every term with its provenance', () => {
    const w = effectiveWindow(blog('PT40M'));
    expect(w.terms.portalSession).toEqual({ value: 'PT8H', unbounded: false, provenance: { status: 'default', source: 'AWS default' } });
  });

  it('is unbounded when the SCIM lag is unbounded (unhealthy provisioning job)', () => {
    const w = effectiveWindow({ ...blog('PT40M'), scimLag: unboundedTerm({ status: 'collected', source: 'quarantine' }) });
    expect(w).toMatchObject({ total: null, unbounded: true, known: false });
  });

  it('is unknown, not zero, when a term could not be collected', () => {
    const w = effectiveWindow({ ...blog('PT40M'), activation: term(null, { status: 'missing', source: 'no policy' }) });
    expect(w).toMatchObject({ total: null, unbounded: false, known: false });
  });

  it('is unknown, never negative or zero, when a term is no usable duration', () => {
    for (const bad of ['-PT100H', 'P-1D', 'P1Y', 'P1M', 'P', 'PT', 'nonsense']) {
      const w = effectiveWindow({ ...blog('PT40M'), activation: term(bad, p) });
      expect(w, bad).toMatchObject({ total: null, unbounded: false, known: false });
    }
  });

  it('adds days, hours, minutes and fractional seconds', () => {
    const w = effectiveWindow({
      activation: term('PT8H', p),
      scimLag: term('PT40M', p),
      portalSession: term('P7D', p),
      permissionSetSession: term('PT12H', p),
    });
    expect(w.total).toBe('P7DT20H40M');
  });
});
