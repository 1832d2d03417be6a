import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';

type Oidc = typeof import('oidc-provider');
import { SESSION_COOKIE, deleteSession, resolveSecret } from '../../kernel/auth/sessions.js';
import { type Ctx, inTransaction } from '../../kernel/context.js';
import { accountWithOrg } from '../accounts/login.js';
import { logout as endLocalSession } from '../auth/service.js';
import { approvedLowerPlatform } from '../sharing/service.js';
import { adapterFor } from './adapter.js';
import { providerKeys } from './keys.js';

/** Where the provider is mounted: its issuer is `PUBLIC_BASE_URL` + this. */
export const OIDC_MOUNT = '/oidc';
/** The relying party's callback and post-logout paths at a lower platform (relative to its entry URL). */
export const RP_CALLBACK_PATH = '/api/v1/sso/callback';
export const RP_LOGGED_OUT_PATH = '/login';

const html = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A small bilingual page (the provider's own pages: logout confirmation, errors). */
export function page(titleZh: string, titleEn: string, body: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${html(titleZh)} ${html(titleEn)}</title><style>body{font-family:system-ui,sans-serif;margin:0;padding:24px 16px;background:#f5f5f5}main{max-width:420px;margin:0 auto;background:#fff;padding:20px;border-radius:8px}h1{font-size:20px;color:#2e7d32;margin:0 0 12px}p{line-height:1.6}button{width:100%;padding:10px;font-size:16px;background:#2e7d32;color:#fff;border:0;border-radius:6px}a{color:#2e7d32}</style></head><body><main><h1>${html(titleZh)}<br><small>${html(titleEn)}</small></h1>${body}</main></body></html>`;
}
export { html as escapeHtml };

function systemCtx(app: FastifyInstance): Ctx<null> {
  return { db: app.database.db, actor: null, ip: null, userAgent: null, config: app.config };
}

/**
 * The interaction policy: the `login` prompt is always asked (our interaction route answers it at once from the
 * platform's own session, see routes.ts), so the provider's session never outlives or replaces the platform's: a
 * user signed out here, or another user signed in since, is never signed in to a lower platform by an old OIDC
 * session.
 */
function policy({ interactionPolicy }: Oidc) {
  const p = interactionPolicy.base();
  p.get('login')?.checks.add(
    new interactionPolicy.Check('platform_session', 'the platform session decides who is signed in', (ctx) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  return p;
}

/** The RP-initiated logout page: signs out of the provider *and* the platform; submits itself (script by hash). */
async function logoutSource(ctx: KoaContextWithOIDC, form: string) {
  const script = 'document.getElementById("op.logoutForm").submit();';
  const sha = createHash('sha256').update(script).digest('base64');
  // The confirmation's 303 goes to the lower platform: browsers check a form's redirects against form-action too.
  // The URI was already checked against the client's registered post-logout URIs.
  const back = ctx.oidc.params?.post_logout_redirect_uri;
  const backOrigin = typeof back === 'string' ? new URL(back).origin : '';
  const csp = String(ctx.response.get('content-security-policy') || '')
    .replace("script-src 'self'", `script-src 'self' 'sha256-${sha}'`)
    .replace("form-action 'self'", `form-action 'self' ${backOrigin}`.trim());
  ctx.set('content-security-policy', csp);
  ctx.body = page(
    '正在退出登录',
    'Signing out',
    `${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<p>正在退出本平台及下级平台的登录。<br>Signing you out of this platform and the lower platform.</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">退出登录 Sign out</button>
<script>${script}</script>`,
  );
}

async function renderError(ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }) {
  ctx.type = 'html';
  ctx.body = page(
    '单点登录出错',
    'Single sign-on error',
    `<p>${html(String(out.error ?? ''))}: ${html(String(out.error_description ?? ''))}</p><p><a href="/">返回首页 Home</a></p>`,
  );
}

function configuration(app: FastifyInstance, oidc: Oidc): Configuration {
  const keys = providerKeys(app.config.oidcKeyFile);
  const ctx = systemCtx(app);
  return {
    adapter: adapterFor(app.database.db, async (clientId) => {
      const lower = await approvedLowerPlatform(ctx, clientId);
      if (!lower) return undefined;
      const entry = lower.entryUrl.replace(/\/+$/, '');
      return {
        client_id: lower.platformId,
        client_name: lower.platformId,
        redirect_uris: [`${entry}${RP_CALLBACK_PATH}`],
        post_logout_redirect_uris: [`${entry}${RP_LOGGED_OUT_PATH}`],
        // A public client bound to its registered entry URL, with PKCE (S256) required: see docs/sso.md.
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      };
    }),
    jwks: keys.jwks as Configuration['jwks'],
    cookies: { keys: keys.cookieKeys },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'organisation', 'division'] },
    conformIdTokenClaims: false,
    findAccount: async (_kctx, id) => {
      const acc = await accountWithOrg(ctx, id);
      if (!acc || acc.status !== 'active' || acc.org_status !== 'active') return undefined;
      return {
        accountId: acc.id,
        claims: () => ({
          sub: acc.id,
          name: acc.display_name,
          preferred_username: acc.username,
          organisation: acc.org_name,
          division: acc.division_code,
        }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_MOUNT}/interaction/${interaction.uid}`, policy: policy(oidc) },
    pkce: { required: () => true },
    renderError,
    ttl: {
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: 3600,
      Interaction: 600,
      Grant: app.config.sessionTtlHours * 3600,
      Session: app.config.sessionTtlHours * 3600,
    },
  };
}

const providers = new WeakMap<FastifyInstance, Provider>();
/** oidc-provider, imported with the first single sign-on request (0.6 s of every start otherwise: issue 19 item 3). */
let oidcModule: Promise<Oidc> | undefined;

/** This platform's OpenID provider (made on first use; issuer `PUBLIC_BASE_URL/oidc`). */
export async function providerOf(app: FastifyInstance): Promise<Provider> {
  const hit = providers.get(app);
  if (hit) return hit;
  oidcModule ??= import('oidc-provider');
  const oidc = await oidcModule;
  const again = providers.get(app); // another request made it meanwhile
  if (again) return again;
  const provider = new oidc.default(`${app.config.publicBaseUrl}${OIDC_MOUNT}`, configuration(app, oidc));
  provider.proxy = app.config.trustProxy.length > 0;
  // RP-initiated logout ends the platform's own session too (the provider's session alone would leave it), audited
  // like a logout here (`auth.logout`).
  provider.use(async (kctx, next) => {
    await next();
    if (kctx.method === 'POST' && kctx.path === '/session/end/confirm' && kctx.status === 303) {
      const token = kctx.cookies.get(SESSION_COOKIE, { signed: false });
      const res = token ? await resolveSecret(app.database.db, token, app.verbTable) : null;
      if (token && res && 'actor' in res)
        await inTransaction({ ...systemCtx(app), actor: res.actor, ip: kctx.ip }, (ctx) => endLocalSession(ctx, token));
      else if (token) await deleteSession(app.database.db, token);
      kctx.cookies.set(SESSION_COOKIE, null, { path: '/', signed: false });
    }
  });
  providers.set(app, provider);
  return provider;
}

/** Hands a request under /oidc to the provider (Koa), as if mounted there (`originalUrl` keeps the mount path). */
export async function handOver(
  app: FastifyInstance,
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
) {
  const provider = await providerOf(app);
  const url = req.url ?? '/';
  req.originalUrl = url;
  req.url = url.slice(OIDC_MOUNT.length) || '/';
  return provider.callback()(req, res);
}
