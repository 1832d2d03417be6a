import type { ApiBody } from '../../shared/api';

/** What a producer may authorise a service agency to enter for it (代录 scopes), in both languages. */
export type Scope = ApiBody<'post', '/api/v1/my-subject/authorisations'>['scopes'][number];
export const SCOPE_LABELS: Record<Scope, [string, string]> = {
  profile: ['主体信息变更', 'Profile'],
  products: ['产品', 'Products'],
  bases: ['基地', 'Bases'],
  batches: ['批次与追溯码', 'Batches'],
  certificates: ['合格证', 'Certificates'],
  inputs: ['投入品记录', 'Input uses'],
  sales: ['销售与收货', 'Sales'],
  origin: ['产地溯源信息', 'Origin records'],
};
