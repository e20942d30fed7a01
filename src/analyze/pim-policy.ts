// Reading the 17 fixed rules of a PIM-for-Groups policy into the settings the rules judge.
// Rule ids and properties: the Graph reference for unifiedRoleManagementPolicy*Rule.
import type { PimPolicyT } from '../model/snapshot-schema.js';
import { isoToSeconds } from '../util/duration.js';

export interface PimRoleSettings {
  /** Expiration_EndUser_Assignment.maximumDuration: how long one activation lasts at most. */
  activationMaximum: string | null;
  /** Enablement_EndUser_Assignment.enabledRules contains MultiFactorAuthentication. */
  mfaOnActivation: boolean;
  justificationOnActivation: boolean;
  ticketOnActivation: boolean;
  /** AuthenticationContext_EndUser_Assignment: a Conditional Access auth context (can enforce MFA too). */
  authenticationContext: string | null;
  approvalRequired: boolean;
  approverCount: number;
  /** Expiration_Admin_Eligibility: false means permanent eligibility is allowed. */
  eligibilityExpirationRequired: boolean;
  eligibilityMaximum: string | null;
  /** Expiration_Admin_Assignment: false means permanent active assignment is allowed. */
  activeAssignmentExpirationRequired: boolean;
  activeAssignmentMaximum: string | null;
  mfaOnActiveAssignment: boolean;
  justificationOnActiveAssignment: boolean;
}

type Rule = PimPolicyT['rules'][number] & Record<string, unknown>;

const ruleById = (policy: Pick<PimPolicyT, 'rules'>, id: string): Rule | undefined =>
  policy.rules.find((r) => r.id.toLowerCase() === id.toLowerCase()) as Rule | undefined;

const enabledRules = (rule: Rule | undefined): string[] =>
  Array.isArray(rule?.enabledRules) ? (rule.enabledRules as unknown[]).map((r) => String(r).toLowerCase()) : [];

const stringOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * A duration the window math can use, else null (unknown). The loader refuses a snapshot with such a
 * value (snapshot-checks.ts); this keeps a snapshot built in code from turning "-PT100H" into a
 * negative window that hides findings.
 */
const durationOrNull = (v: unknown): string | null => (typeof v === 'string' && isoToSeconds(v) !== null ? v : null);

/** Only the rules are read: a directory role's PIM policy has the same 17 rules as a group's. */
export function readPimPolicy(policy: Pick<PimPolicyT, 'rules'>): PimRoleSettings {
  const activation = ruleById(policy, 'Expiration_EndUser_Assignment');
  const onActivation = enabledRules(ruleById(policy, 'Enablement_EndUser_Assignment'));
  const onActive = enabledRules(ruleById(policy, 'Enablement_Admin_Assignment'));
  const authContext = ruleById(policy, 'AuthenticationContext_EndUser_Assignment');
  const approval = ruleById(policy, 'Approval_EndUser_Assignment');
  const setting = (approval?.setting ?? {}) as { isApprovalRequired?: boolean; approvalStages?: unknown[] };
  const approvers = (setting.approvalStages ?? []).flatMap((stage) => {
    const primary = (stage as { primaryApprovers?: unknown[] }).primaryApprovers;
    return Array.isArray(primary) ? primary : [];
  });
  const eligibility = ruleById(policy, 'Expiration_Admin_Eligibility');
  const active = ruleById(policy, 'Expiration_Admin_Assignment');
  return {
    activationMaximum: durationOrNull(activation?.maximumDuration),
    mfaOnActivation: onActivation.includes('multifactorauthentication'),
    justificationOnActivation: onActivation.includes('justification'),
    ticketOnActivation: onActivation.includes('ticketing'),
    authenticationContext: authContext?.isEnabled === true ? stringOrNull(authContext.claimValue) : null,
    approvalRequired: setting.isApprovalRequired === true,
    approverCount: approvers.length,
    eligibilityExpirationRequired: eligibility?.isExpirationRequired !== false,
    eligibilityMaximum: eligibility?.isExpirationRequired === false ? null : durationOrNull(eligibility?.maximumDuration),
    activeAssignmentExpirationRequired: active?.isExpirationRequired !== false,
    activeAssignmentMaximum: active?.isExpirationRequired === false ? null : durationOrNull(active?.maximumDuration),
    mfaOnActiveAssignment: onActive.includes('multifactorauthentication'),
    justificationOnActiveAssignment: onActive.includes('justification'),
  };
}
