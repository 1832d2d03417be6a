import type { Json, Timestamp } from '../../kernel/db/types.js';

/** The OpenID provider's stored models (oidc-provider adapter, `adapter.ts`). */
export interface OidcPayloadTable {
  model: string;
  id: string;
  payload: Json;
  grant_id: string | null;
  uid: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
}

/** A relying-party sign-in under way (state → PKCE verifier, nonce, the local account to link, where to return). */
export interface SsoLoginTable {
  state: string;
  code_verifier: string;
  nonce: string;
  link_account_id: string | null;
  return_to: string;
  expires_at: Timestamp;
}

/** Tables owned by the sso module (the only module that writes them). */
export interface SsoTables {
  oidc_payload: OidcPayloadTable;
  sso_login: SsoLoginTable;
}
