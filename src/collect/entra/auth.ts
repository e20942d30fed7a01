// Signing in to Microsoft Graph. In order:
//  1. JITAUDIT_GRAPH_TOKEN: a bearer token obtained elsewhere, used as-is;
//  2. @azure/identity DefaultAzureCredential: AZURE_* client secret or certificate (EnvironmentCredential),
//     workload-identity federation (AZURE_FEDERATED_TOKEN_FILE, e.g. GitHub OIDC), managed identity,
//     `az login` (AzureCliCredential, which azure/login with OIDC also produces), azd, PowerShell.
// The tenant comes from --tenant, else entra.tenantId, else AZURE_TENANT_ID / the CLI's default.
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { inputError } from '../../util/errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A tenant is a GUID or a verified domain (contoso.onmicrosoft.com); anything else is an input error. */
export function checkTenant(value: string, where: string): string {
  const v = value.trim();
  if (GUID.test(v) || DOMAIN.test(v)) return v;
  throw inputError(where, null, `"${value}" is not a tenant id (a GUID) or a tenant domain (e.g. contoso.onmicrosoft.com)`);
}

export interface TokenSource {
  /** How the token is obtained, for messages. */
  describe: string;
  getToken(): Promise<string>;
}

/** The token scope of a Graph endpoint: https://graph.microsoft.com/.default, or the national cloud's. */
export const scopeFor = (baseUrl: string) => `${new URL(baseUrl).origin}/.default`;

export function tokenSource(options: { baseUrl: string; tenant: string | null; env?: NodeJS.ProcessEnv; credential?: TokenCredential }): TokenSource {
  const env = options.env ?? process.env;
  const fixed = env.JITAUDIT_GRAPH_TOKEN?.trim();
  if (fixed && !options.credential) {
    return { describe: 'JITAUDIT_GRAPH_TOKEN', getToken: async () => fixed };
  }
  const credential =
    options.credential ?? new DefaultAzureCredential(options.tenant ? { tenantId: options.tenant } : {});
  const scope = scopeFor(options.baseUrl);
  let cached: { token: string; expiresAt: number } | null = null;
  let inflight: Promise<string> | null = null;
  return {
    describe: options.credential ? 'the given credential' : 'DefaultAzureCredential',
    getToken() {
      if (cached && cached.expiresAt - 120_000 > Date.now()) return Promise.resolve(cached.token);
      inflight ??= credential
        .getToken(scope, options.tenant ? { tenantId: options.tenant } : {})
        .then((t) => {
          if (!t) throw new Error('the credential returned no token');
          cached = { token: t.token, expiresAt: t.expiresOnTimestamp };
          return t.token;
        })
        .finally(() => {
          inflight = null;
        });
      return inflight;
    },
  };
}

export const SIGN_IN_HELP =
  'sign in: `az login` (or azure/login with OIDC in GitHub Actions), a managed identity, AZURE_TENANT_ID + AZURE_CLIENT_ID + ' +
  'AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, workload-identity federation (AZURE_FEDERATED_TOKEN_FILE), ' +
  'or a bearer token in JITAUDIT_GRAPH_TOKEN';
