// Sections and their provenance: what a collector hands back for each part of the snapshot.
// A failure on one section never stops the run: the section is `missing`, with the error and the
// permission that would fix it, and `audit` then fails the gate unless --allow-incomplete.
import type { ProvenanceT } from '../model/snapshot-schema.js';

export interface Section<T> {
  provenance: ProvenanceT;
  data: T | null;
}

export const collected = <T>(data: T, source: string, at: Date): Section<T> => ({
  provenance: { status: 'collected', source, collectedAt: at.toISOString() },
  data,
});

export const declared = <T>(data: T, source: string, note?: string): Section<T> => ({
  provenance: { status: 'declared', source, ...(note ? { note } : {}) },
  data,
});

export interface MissingError {
  status: number | null;
  code: string;
  message: string;
}

export const missing = <T>(error: MissingError, fix: string | null): Section<T> => ({
  provenance: { status: 'missing', error, fix },
  data: null,
});

/** A section the run did not try, e.g. the AWS half under `collect --only entra`. */
export const notCollected = <T>(why: string): Section<T> =>
  missing<T>({ status: null, code: 'NotCollected', message: why }, null);
