import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/**
 * Single sign-on across tiers (issue 15 item 4, docs/sso.md): every platform is an OpenID Connect provider for its
 * approved lower platforms (`/oidc`), a lower platform is a relying party of its upper one, and the portal lists the
 * connected lower platforms. Routes carry their own paths (the provider is not under /api/v1).
 */
export const ssoModule: ModuleDef = {
  name: 'sso',
  prefix: '',
  routes,
};
