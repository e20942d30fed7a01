// Owners of the AWS enterprise app: an owner of its service principal can change its SAML and
// provisioning settings and who is assigned to it; an owner of its application object (the app
// registration) can add credentials to it. Two reads (Application.Read.All):
//   GET /servicePrincipals/{id}/owners
//   GET /applications(appId='{appId}')/owners   404 for a gallery app registered in another tenant
import type { AppOwnersT } from '../../model/snapshot-schema.js';
import type { EntraRun } from './common.js';
import { OWNER_SELECT, principalsOf } from './directory-principal.js';
import type { EnterpriseAppData } from './enterprise-app.js';
import { odataString, q } from './graph-client.js';

export const APP_OWNERS_SOURCE = "GET /servicePrincipals/{id}/owners, /applications(appId='{appId}')/owners";

export const spOwnersPath = (spId: string) => `/servicePrincipals/${encodeURIComponent(spId)}/owners?${OWNER_SELECT}`;
export const appOwnersPath = (appId: string) => `/applications(appId=${q(odataString(appId))})/owners?${OWNER_SELECT}`;

export async function collectAppOwners(run: EntraRun, app: EnterpriseAppData): Promise<AppOwnersT> {
  const results = await run.graph.batchList<Record<string, unknown>>(
    [
      { key: 'sp', path: spOwnersPath(app.servicePrincipalId) },
      { key: 'app', path: appOwnersPath(app.appId) },
    ],
    (done, total) => run.tick('entra.appOwners', `${done}/${total}`),
  );
  const sp = results.get('sp')!;
  if (!sp.ok) throw sp.error;
  const application = results.get('app')!;
  if (!application.ok && application.error.status !== 404) throw application.error;
  if (!application.ok) {
    run.ctx.warn('entra.appOwners', `the application object of ${app.appId} is not in this tenant (404: a gallery app registered elsewhere): only its service principal's owners are listed`);
  }
  return {
    servicePrincipalId: app.servicePrincipalId,
    appId: app.appId,
    servicePrincipalOwners: principalsOf(sp.items),
    applicationObject: application.ok ? 'inTenant' : 'notInTenant',
    applicationOwners: application.ok ? principalsOf(application.items) : [],
  };
}
