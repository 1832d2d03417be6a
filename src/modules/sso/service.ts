import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../../kernel/audit.js';
import { type Ctx, inTransaction } from '../../kernel/context.js';
import { publicCtxOf } from '../../kernel/http.js';
import { Problem } from '../../kernel/problems.js';
import { platformIdentity } from '../sharing/identity.js';
import { lowerPlatformEntries } from '../sharing/service.js';
import { providerOf } from './provider.js';
import type { Portal } from './schemas.js';

export { OIDC_MOUNT, escapeHtml, handOver, page } from './provider.js';
export { finishSignIn, signOut, ssoStatus, startSignIn } from './rp.js';

/**
 * The provider's login/consent interaction. The platform's own session decides: nobody signed in (or a password
 * change pending) → 'login' (the caller sends the browser to the login page, which comes back here); signed in →
 * the login and a grant of `openid profile` for the asking lower platform are given at once (no consent screen:
 * the lower platforms are this platform's own approved connections), audited, and the provider answers (hijacked).
 */
export async function interaction(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<'login' | 'done' | Problem> {
  const provider = await providerOf(app);
  let details: Awaited<ReturnType<typeof provider.interactionDetails>>;
  try {
    details = await provider.interactionDetails(req.raw, reply.raw);
  } catch {
    return new Problem('SSO_FAILED', {
      reasonZh: '登录请求已过期，请回到下级平台重试',
      reasonEn: 'the sign-in request has expired; start again from the lower platform',
    });
  }
  const actor = req.actor;
  if (!actor || actor.mustChangePassword || actor.tokenId) return 'login';
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant =
    existing && existing.accountId === actor.id ? existing : new provider.Grant({ accountId: actor.id, clientId });
  // What the lower platform asked for (the provider already dropped scopes it does not know: openid, profile).
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  const grantId = await grant.save();
  await inTransaction(publicCtxOf(req), (ctx) =>
    audit(ctx, {
      verb: 'sso.authorize',
      targetType: 'account',
      targetId: actor.id,
      divisionCode: actor.scope,
      summary: { client: clientId },
    }),
  );
  reply.hijack();
  await provider.interactionFinished(
    req.raw,
    reply.raw,
    { login: { accountId: actor.id }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
  return 'done';
}

/** The portal (门户, seed 003 二(三)): this platform and its connected lower platforms' entry URLs and health. */
export async function portal(ctx: Ctx): Promise<Portal> {
  const me = platformIdentity(ctx.config);
  const items = await lowerPlatformEntries(ctx);
  const now = Date.now();
  return {
    platformId: me.id,
    issuer: `${ctx.config.publicBaseUrl}/oidc`,
    items: items.map((i) => {
      const age = i.lastSuccessAt ? now - Date.parse(i.lastSuccessAt) : null;
      // Healthy: delivered within 5 minutes with under a minute of lag; stale: no delivery for an hour or more.
      const health =
        i.status !== 'approved'
          ? 'suspended'
          : age === null || age > 3_600_000
            ? 'stale'
            : age > 300_000 || i.lagMs > 60_000 || i.lastError
              ? 'degraded'
              : 'healthy';
      return { ...i, health, ssoUrl: `${i.entryUrl.replace(/\/+$/, '')}/api/v1/sso/login` };
    }),
  };
}
