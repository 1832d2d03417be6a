import * as oidc from 'openid-client';
import { audit } from '../../kernel/audit.js';
import { createSession } from '../../kernel/auth/sessions.js';
import { type Actor, type Ctx, inTransaction } from '../../kernel/context.js';
import { Problem } from '../../kernel/problems.js';
import { accountLinkedTo, accountWithOrg, setUpperSubject } from '../accounts/login.js';
import { logout as endLocalSession } from '../auth/service.js';
import { platformIdentity } from '../sharing/identity.js';
import { upperApproved } from '../sharing/service.js';
import { OIDC_MOUNT, RP_CALLBACK_PATH, RP_LOGGED_OUT_PATH } from './provider.js';
import * as repo from './repo.js';

/**
 * The relying party (lower platforms): signs users in with the upper platform's OpenID provider. Client id = this
 * platform's id (`province-44`), redirect URI = `PUBLIC_BASE_URL/api/v1/sso/callback` (the entry URL given when the
 * connection was applied for must be PUBLIC_BASE_URL), public client with PKCE S256.
 */
const discovered = new Map<string, { at: number; config: oidc.Configuration }>();

async function rpConfig(ctx: Ctx<Actor | null>): Promise<oidc.Configuration> {
  const upper = ctx.config.upperPlatformUrl;
  if (!upper) throw new Problem('SSO_NOT_AVAILABLE', { reasonZh: '未配置上级平台', reasonEn: 'no upper platform' });
  if (!(await upperApproved(ctx)))
    throw new Problem('SSO_NOT_AVAILABLE', {
      reasonZh: '与上级平台的对接尚未批准',
      reasonEn: 'the connection to the upper platform is not approved',
    });
  const clientId = platformIdentity(ctx.config).id;
  const key = `${upper}|${clientId}`;
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < 10 * 60_000) return hit.config;
  try {
    // Plain http only for an upper platform on http (loopback and test set-ups); production uses https.
    const config = await oidc.discovery(new URL(`${upper}${OIDC_MOUNT}`), clientId, undefined, oidc.None(), {
      execute: upper.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
      timeout: 10,
    });
    discovered.set(key, { at: Date.now(), config });
    return config;
  } catch (err) {
    throw new Problem('SSO_NOT_AVAILABLE', {
      reasonZh: `上级平台无法访问（${(err as Error).message}）`,
      reasonEn: `the upper platform cannot be reached (${(err as Error).message})`,
    });
  }
}

/** Whether the login page offers "sign in with the upper platform" (configured, approved; not asked over HTTP). */
export async function ssoStatus(ctx: Ctx<Actor | null>) {
  const available = !!ctx.config.upperPlatformUrl && (await upperApproved(ctx));
  return {
    available,
    upperPlatformUrl: available ? (ctx.config.upperPlatformUrl ?? null) : null,
    linked: ctx.actor ? !!(await accountWithOrg(ctx, ctx.actor.id))?.upper_subject : null,
  };
}

/** A local path to return to after sign-in (never another origin). */
export function safeReturn(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}

/**
 * Starts a sign-in at the upper platform: the authorization URL to send the browser to, and the state to bind to it
 * (a cookie). `linkAccountId`: the signed-in local account asking to be linked to the upper account (docs/sso.md).
 */
export async function startSignIn(ctx: Ctx<Actor | null>, next: string | undefined, linkAccountId: string | null) {
  const config = await rpConfig(ctx);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  await repo.insertLogin(ctx.db, {
    state,
    code_verifier: verifier,
    nonce,
    link_account_id: linkAccountId,
    return_to: safeReturn(next),
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${ctx.config.publicBaseUrl}${RP_CALLBACK_PATH}`,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state };
}

/**
 * The callback: exchanges the code (PKCE, state bound to the browser's cookie, nonce, ID token signature and issuer
 * checked by openid-client) and signs the linked local account in — or links the account that asked for it.
 */
export async function finishSignIn(ctx: Ctx<Actor | null>, callbackUrl: URL, cookieState: string | undefined) {
  const state = callbackUrl.searchParams.get('state') ?? '';
  const fail = (zh: string, en: string) => new Problem('SSO_FAILED', { reasonZh: zh, reasonEn: en });
  if (!state || state !== cookieState)
    throw fail(
      '登录请求与本浏览器不符或已过期，请重试',
      'the sign-in request does not belong to this browser; try again',
    );
  const started = await repo.takeLogin(ctx.db, state);
  if (!started) throw fail('登录请求已过期，请重试', 'the sign-in request has expired; try again');
  const config = await rpConfig(ctx);
  let claims: oidc.IDToken;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: started.code_verifier,
      expectedState: state,
      expectedNonce: started.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims() as oidc.IDToken;
  } catch (err) {
    throw fail(
      `上级平台未完成登录（${(err as Error).message}）`,
      `the upper platform did not sign you in (${(err as Error).message})`,
    );
  }
  const subject = claims.sub;
  const upperUsername = String(claims.preferred_username ?? subject);
  return inTransaction(ctx, async (tx) => {
    if (started.link_account_id) {
      if (tx.actor?.id !== started.link_account_id)
        throw fail('关联须在本平台登录状态下进行', 'linking needs you to be signed in here');
      const other = await accountLinkedTo(tx, subject);
      if (other && other.id !== started.link_account_id) throw new Problem('SSO_ALREADY_LINKED');
      await setUpperSubject(tx, started.link_account_id, subject);
      await audit(tx, {
        verb: 'sso.link',
        targetType: 'account',
        targetId: started.link_account_id,
        divisionCode: tx.actor.scope,
        summary: { upperSubject: subject, upperUsername, upper: ctx.config.upperPlatformUrl },
      });
      return { linked: true as const, returnTo: started.return_to };
    }
    const acc = await accountLinkedTo(tx, subject);
    if (!acc) {
      await audit(tx, {
        verb: 'auth.loginFailed',
        targetType: 'account',
        summary: { via: 'sso', reason: 'not linked', upperSubject: subject, upperUsername },
        actor: null,
      });
      return { refused: new Problem('SSO_NOT_LINKED', { username: upperUsername }) };
    }
    if (acc.status !== 'active' || acc.org_status !== 'active') return { refused: new Problem('ACCOUNT_DISABLED') };
    const session = await createSession(tx.db, acc.id, ctx.config.sessionTtlHours, {
      ip: ctx.ip,
      userAgent: ctx.userAgent ?? null,
    });
    await audit(tx, {
      verb: 'auth.login',
      targetType: 'account',
      targetId: acc.id,
      divisionCode: acc.division_code,
      summary: { via: 'sso', upperSubject: subject, upperUsername },
      actor: { id: acc.id, username: acc.username, orgId: acc.org_id },
    });
    return { session, returnTo: started.return_to };
  });
}

/** Ends the local session; for a session opened through the upper platform, also where to end the upper one. */
export async function signOut(ctx: Ctx, token: string | undefined, viaSso: boolean) {
  if (token && !ctx.actor.tokenId) await inTransaction(ctx, (tx) => endLocalSession(tx, token));
  if (!viaSso || !ctx.config.upperPlatformUrl) return { redirectTo: null };
  try {
    const config = await rpConfig(ctx);
    const url = oidc.buildEndSessionUrl(config, {
      client_id: platformIdentity(ctx.config).id,
      post_logout_redirect_uri: `${ctx.config.publicBaseUrl}${RP_LOGGED_OUT_PATH}`,
    });
    return { redirectTo: url.href };
  } catch {
    return { redirectTo: null }; // the upper platform is unreachable: the local session is ended anyway
  }
}
