// MFA registration (userRegistrationDetails) of every user on any path. The reports tier allows
// 5 requests per 10 s, so ask only for what is needed: the users on paths, 15 ids
// per request with $filter (only $filter and $orderby are supported); when that would take more
// requests than listing the report outright, list it and keep the users on paths. A filter the
// service refuses (400) falls back to the listing too.
import type { UserRegistrationDetails } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { iso, sortBy, strings, type EntraRun } from './common.js';
import { GraphFailure, odataString, q } from './graph-client.js';

export type MfaData = NonNullable<Snapshot['entra']['mfaRegistration']['data']>;
export const MFA_SOURCE = 'GET /reports/authenticationMethods/userRegistrationDetails';

const PATH = '/reports/authenticationMethods/userRegistrationDetails';
const IDS_PER_REQUEST = 15;
/** Beyond this many filtered requests, listing the whole report is cheaper (one page holds many users). */
const MAX_FILTERED_REQUESTS = 10;

/** Whether this many users on paths means listing the whole report (fewer requests than filtering). */
export const listsWholeReport = (users: number) => Math.ceil(users / IDS_PER_REQUEST) > MAX_FILTERED_REQUESTS;

type MfaRow = MfaData[number];

/** One row of the report as the model keeps it; null without an id. */
function rowOf(r: UserRegistrationDetails): MfaRow | null {
  if (!r.id) return null;
  return {
    id: r.id,
    userPrincipalName: r.userPrincipalName ?? r.id,
    isMfaRegistered: r.isMfaRegistered === true,
    isMfaCapable: r.isMfaCapable === true,
    methodsRegistered: strings(r.methodsRegistered).sort(),
    lastUpdatedDateTime: iso(r.lastUpdatedDateTime),
  };
}

/** Rows of a page as the model keeps them: a large tenant's report is listed page by page and held for a while. */
const rowsOf = (page: UserRegistrationDetails[]): MfaRow[] => {
  const rows: MfaRow[] = [];
  for (const r of page) {
    const row = rowOf(r);
    if (row) rows.push(row);
  }
  return rows;
};

/** The whole report, every page, each mapped as it arrives. */
export const listRegistrationReport = (run: EntraRun): Promise<MfaRow[]> =>
  run.graph.listMapped<UserRegistrationDetails, MfaRow>(PATH, rowsOf, (n) => run.tick('entra.mfaRegistration', `${n} rows`));

/**
 * `prefetched`: the whole report, listed early by the caller when it already knew the listing would be
 * needed (the reports tier allows 5 requests per 10 s: a large tenant's listing is the longest single
 * chain, so it runs beside the PIM reads instead of after them). Null when it was not listed early.
 */
export async function collectMfaRegistration(run: EntraRun, userIds: string[], prefetched: Promise<MfaRow[] | null> = Promise.resolve(null)): Promise<MfaData> {
  const wanted = new Set(userIds);
  let rows: MfaRow[] = [];
  const chunks: string[][] = [];
  for (let i = 0; i < userIds.length; i += IDS_PER_REQUEST) chunks.push(userIds.slice(i, i + IDS_PER_REQUEST));
  let listAll = listsWholeReport(userIds.length);
  if (!listAll) {
    try {
      for (const [n, chunk] of chunks.entries()) {
        const filter = chunk.map((id) => `id eq ${odataString(id)}`).join(' or ');
        rows.push(...(await run.graph.listMapped<UserRegistrationDetails, MfaRow>(`${PATH}?$filter=${q(filter)}`, rowsOf)));
        run.tick('entra.mfaRegistration', `${n + 1}/${chunks.length} requests`);
      }
    } catch (error) {
      if (!(error instanceof GraphFailure) || error.status !== 400) throw error;
      run.ctx.warn('entra.mfaRegistration', `the report refused a filter by id (${error.code}); listing it instead`);
      rows = [];
      listAll = true;
    }
  }
  if (listAll) {
    rows = (await prefetched) ?? (await listRegistrationReport(run));
  }
  const seen = new Set<string>();
  const out: MfaData = [];
  for (const r of rows) {
    if (!wanted.has(r.id) || seen.has(r.id)) continue;
    seen.add(r.id);
    out.push(r);
  }
  return sortBy(out, (r) => r.id);
}
