import { defineWorkflow } from '../../kernel/workflow.js';
import type {
  AuthorisationAction,
  AuthorisationState,
  ConsentAction,
  ConsentState,
  ReviewAction,
  ReviewStatus,
} from './schemas.js';

/**
 * A service agency's registration: reviewed once by the province (`reviewer`: a province-level supervision
 * organisation holding agency.review, or the platform administrator).
 */
export const registrationFlow = defineWorkflow<ReviewStatus, ReviewAction, 'reviewer'>({
  name: { zh: '服务机构注册', en: 'Service agency registration' },
  states: {
    pending: { zh: '待审核', en: 'pending' },
    approved: { zh: '已通过', en: 'approved' },
    rejected: { zh: '已驳回', en: 'rejected' },
  },
  transitions: [
    { from: 'pending', action: 'approve', to: 'approved', who: 'reviewer', zh: '审核通过', en: 'approve' },
    { from: 'pending', action: 'reject', to: 'rejected', who: 'reviewer', zh: '驳回', en: 'reject' },
  ],
});

/** A producer's authorisation of an agency: live until the producer (`owner`) revokes it. */
export const authorisationFlow = defineWorkflow<AuthorisationState, AuthorisationAction, 'owner'>({
  name: { zh: '服务机构授权', en: 'Agency authorisation' },
  states: {
    active: { zh: '有效', en: 'active' },
    revoked: { zh: '已撤回', en: 'revoked' },
  },
  transitions: [{ from: 'active', action: 'revoke', to: 'revoked', who: 'owner', zh: '撤回授权', en: 'revoke' }],
});

/** A farmer's consent to be acted for: live until revoked (by an official recording the farmer's wish) or expired. */
export const consentFlow = defineWorkflow<ConsentState, ConsentAction, 'official'>({
  name: { zh: '农户同意代办', en: 'Farmer consent' },
  states: {
    active: { zh: '有效', en: 'active' },
    expired: { zh: '已过期', en: 'expired' },
    revoked: { zh: '已撤回', en: 'revoked' },
  },
  transitions: [{ from: 'active', action: 'revoke', to: 'revoked', who: 'official', zh: '撤回同意', en: 'revoke' }],
});
