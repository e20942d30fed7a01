// The analysed model: access paths and the resource collections that rules iterate.
import type { SectionPath } from '../model/snapshot-schema.js';
import type { PathParts } from './path-parts.js';
import type { PimRoleSettings } from './pim-policy.js';
import type { EffectiveWindow } from './window.js';

export const PATH_KINDS = [
  'pim-eligible',
  'pim-active',
  'direct-member',
  'owner',
  'direct-assignment',
  'unmanaged-ic',
] as const;
export type PathKind = (typeof PATH_KINDS)[number];

export interface PrincipalRef {
  upn: string | null;
  entraUserId: string | null;
  identityCenterUserId: string | null;
}

export interface AccountRef {
  id: string;
  name: string;
  environment: string;
}

/** One way a person reaches (account, permission set). `report.json` carries exactly these fields. */
export interface AccessPath {
  id: string;
  kind: PathKind;
  standing: boolean;
  principal: PrincipalRef;
  group: { id: string; name: string } | null;
  account: AccountRef;
  permissionSet: { arn: string; name: string; tier: string };
  window: EffectiveWindow | null;
}

/** What rules see of an access path: the report fields plus the controls and dates behind them. */
export interface AccessPathDetail extends AccessPath {
  principalDetail: {
    displayName: string | null;
    enabled: boolean | null;
    userType: string | null;
    mfaRegistered: boolean | null;
    identityCenterStatus: string | null;
  };
  groupDetail: { pimManaged: boolean; source: 'entra' | 'identity-center' } | null;
  /** PIM settings that govern this path (member or owner policy of the group); null when not under PIM. */
  controls: PimRoleSettings | null;
  /** The eligibility or assignment schedule behind a PIM path. */
  schedule: { start: string | null; end: string | null; createdAt: string | null } | null;
  /** End of the live activation (JIT) or of the assignment (pim-active), as of the snapshot. */
  activeNow: boolean;
  activeUntil: string | null;
  accountDetail: { ouPath: string; tags: Record<string, string>; state: string };
  permissionSetDetail: { sessionDuration: string };
}

/** A JSON pointer into the snapshot: where a finding's SARIF location points. */
export type Pointer = string;

export interface ResourceRef {
  type: string;
  id: string;
  name: string;
  pointer: Pointer;
  /** The file the pointer is into: the snapshot unless said otherwise. */
  file?: 'snapshot' | 'config';
  account?: AccountRef;
  principal?: PrincipalRef;
}

/** One item of a rule's resource collection: `data` is what its CEL condition sees as `resource`. */
export interface ResourceItem {
  ref: ResourceRef;
  data: Record<string, unknown>;
  /** The access paths (positions in Analysis.accessPaths) a finding about this item affects: its impact. */
  paths?: readonly number[];
}

/** Where the objects that findings about access paths name start in the snapshot (path-objects.ts). */
/** Where the object with an id is. */
export interface PointerLookup {
  get(id: string): Pointer | undefined;
}

export interface ObjectPointers {
  entraUser: PointerLookup;
  identityCenterUser: PointerLookup;
  entraGroup: PointerLookup;
  identityCenterGroup: PointerLookup;
  /** By `groupId|member` or `groupId|owner`. */
  pimPolicy: PointerLookup;
  permissionSet: PointerLookup;
  provisioningJob: { id: string; name: string; pointer: Pointer };
}

export interface Analysis {
  /** The snapshot's collection time: "now" for every judgement. */
  now: string;
  accessPaths: AccessPathDetail[];
  /** What each access path is made of, numbered. */
  pathParts: PathParts;
  resources: Record<string, ResourceItem[]>;
  objectPointers: ObjectPointers;
  /** Sections the snapshot could not collect: shown in every report, and they fail the gate. */
  incomplete: string[];
  warnings: string[];
}

export type { SectionPath };
