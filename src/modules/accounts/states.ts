import { defineWorkflow } from '../../kernel/workflow.js';
import type { ActiveStatus } from './tables.js';

const STATES: Record<ActiveStatus, { zh: string; en: string }> = {
  active: { zh: '正常', en: 'Active' },
  disabled: { zh: '已停用', en: 'Disabled' },
};

/**
 * An account's lifecycle. `manager`: an actor holding `user.update`; `resetter`: one holding `user.resetPassword`;
 * neither acts on its own account (SELF_ACTION_FORBIDDEN). A reset also unlocks the account and keeps its status.
 */
export const USER_ACTIONS = ['resetPassword', 'disable', 'enable'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];
export type UserWho = 'manager' | 'resetter';
export const userWorkflow = defineWorkflow<ActiveStatus, UserAction, UserWho>({
  name: { zh: '账号', en: 'Account' },
  states: STATES,
  transitions: [
    { from: 'active', action: 'resetPassword', to: 'active', who: 'resetter', zh: '重置密码', en: 'Reset password' },
    {
      from: 'disabled',
      action: 'resetPassword',
      to: 'disabled',
      who: 'resetter',
      zh: '重置密码',
      en: 'Reset password',
    },
    { from: 'active', action: 'disable', to: 'disabled', who: 'manager', zh: '停用', en: 'Disable' },
    { from: 'disabled', action: 'enable', to: 'active', who: 'manager', zh: '启用', en: 'Enable' },
  ],
});

/** An organisation's lifecycle. `manager`: an actor holding `org.update`, acting on another organisation than its own. */
export const ORG_ACTIONS = ['disable', 'enable'] as const;
export type OrgAction = (typeof ORG_ACTIONS)[number];
export type OrgWho = 'manager';
export const orgWorkflow = defineWorkflow<ActiveStatus, OrgAction, OrgWho>({
  name: { zh: '机构', en: 'Organisation' },
  states: STATES,
  transitions: [
    { from: 'active', action: 'disable', to: 'disabled', who: 'manager', zh: '停用', en: 'Disable' },
    { from: 'disabled', action: 'enable', to: 'active', who: 'manager', zh: '启用', en: 'Enable' },
  ],
});

/** The status change a PATCH asks for, as a workflow action (none when the status stays). */
export const statusAction = (from: ActiveStatus, to: ActiveStatus | undefined) =>
  to === undefined || to === from ? null : to === 'disabled' ? ('disable' as const) : ('enable' as const);
