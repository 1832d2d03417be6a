import type { ApiBody } from '../../shared/api';

export type OrgKind = ApiBody<'post', '/api/v1/organisations'>['kind'];

/** Organisation kinds: Chinese, English, tag colour. */
export const ORG_KINDS: Record<OrgKind, [string, string, string]> = {
  supervision: ['监管机构', 'Supervision', 'green'],
  testing: ['检测机构', 'Testing', 'blue'],
  enforcement: ['执法机构', 'Enforcement', 'volcano'],
  service: ['第三方服务机构', 'Service agency', 'purple'],
  operator: ['平台运营', 'Operator', 'gold'],
};
