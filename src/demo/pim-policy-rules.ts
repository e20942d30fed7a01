// The 17 rules of a PIM-for-Groups policy, shaped as Graph returns them
// (policyroot-list-rolemanagementpolicyassignments, Example 4): for the demo and the fake Graph.

export interface PimPolicySpec {
  /** Expiration_EndUser_Assignment.maximumDuration. */
  activation: string;
  /** Enablement_EndUser_Assignment.enabledRules: MultiFactorAuthentication, Justification, Ticketing. */
  onActivation: string[];
  approvers: { id: string; description: string | null }[];
  /** AuthenticationContext_EndUser_Assignment claim; absent = off. */
  authContext?: string;
  /** Expiration_Admin_Eligibility maximum; null = permanent eligibility allowed. */
  eligibilityMax: string | null;
  /** Expiration_Admin_Assignment maximum; null = permanent active assignment allowed. */
  activeMax: string | null;
  /** Enablement_Admin_Assignment.enabledRules. */
  onActiveAssignment: string[];
}

const NS = '#microsoft.graph.unifiedRoleManagementPolicy';
const target = (caller: 'Admin' | 'EndUser', level: 'Eligibility' | 'Assignment') => ({
  caller,
  operations: ['All'],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});

export function pimPolicyRules(p: PimPolicySpec) {
  return [
    { '@odata.type': `${NS}ExpirationRule`, id: 'Expiration_Admin_Eligibility', isExpirationRequired: p.eligibilityMax !== null, maximumDuration: p.eligibilityMax ?? 'P365D', target: target('Admin', 'Eligibility') },
    { '@odata.type': `${NS}EnablementRule`, id: 'Enablement_Admin_Eligibility', enabledRules: [], target: target('Admin', 'Eligibility') },
    { '@odata.type': `${NS}ExpirationRule`, id: 'Expiration_Admin_Assignment', isExpirationRequired: p.activeMax !== null, maximumDuration: p.activeMax ?? 'P180D', target: target('Admin', 'Assignment') },
    { '@odata.type': `${NS}EnablementRule`, id: 'Enablement_Admin_Assignment', enabledRules: p.onActiveAssignment, target: target('Admin', 'Assignment') },
    { '@odata.type': `${NS}ExpirationRule`, id: 'Expiration_EndUser_Assignment', isExpirationRequired: true, maximumDuration: p.activation, target: target('EndUser', 'Assignment') },
    { '@odata.type': `${NS}EnablementRule`, id: 'Enablement_EndUser_Assignment', enabledRules: p.onActivation, target: target('EndUser', 'Assignment') },
    {
      '@odata.type': `${NS}ApprovalRule`,
      id: 'Approval_EndUser_Assignment',
      target: target('EndUser', 'Assignment'),
      setting: {
        isApprovalRequired: p.approvers.length > 0,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: p.approvers.map((a) => ({ '@odata.type': '#microsoft.graph.singleUser', isBackup: false, id: a.id, description: a.description })),
            escalationApprovers: [],
          },
        ],
      },
    },
    { '@odata.type': `${NS}AuthenticationContextRule`, id: 'AuthenticationContext_EndUser_Assignment', isEnabled: p.authContext !== undefined, claimValue: p.authContext ?? null, target: target('EndUser', 'Assignment') },
    ...(['Admin_Eligibility', 'Admin_Assignment', 'EndUser_Assignment'] as const).flatMap((level) =>
      ['Admin', 'Requestor', 'Approver'].map((recipient) => ({
        '@odata.type': `${NS}NotificationRule`,
        id: `Notification_${recipient}_${level}`,
        notificationType: 'Email',
        recipientType: recipient,
        notificationLevel: 'All',
        isDefaultRecipientsEnabled: true,
        notificationRecipients: [],
        target: target(level.startsWith('Admin') ? 'Admin' : 'EndUser', level.endsWith('Eligibility') ? 'Eligibility' : 'Assignment'),
      })),
    ),
  ];
}
