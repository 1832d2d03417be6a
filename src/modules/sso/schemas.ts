import { type Static, Type } from 'typebox';

export const SsoStatus = Type.Object({
  available: Type.Boolean({ description: 'UPPER_PLATFORM_URL set and the connection approved on both ends' }),
  upperPlatformUrl: Type.Union([Type.String(), Type.Null()]),
  linked: Type.Union([Type.Boolean(), Type.Null()], {
    description: 'the signed-in account is linked to an upper-platform account (null when nobody is signed in)',
  }),
});

export const StartQuery = Type.Object(
  {
    next: Type.Optional(Type.String({ maxLength: 500, description: 'local path to return to' })),
    link: Type.Optional(Type.Literal('1', { description: 'link the signed-in account to the upper account' })),
  },
  { additionalProperties: false },
);

export const SignOutAnswer = Type.Object({
  redirectTo: Type.Union([Type.String(), Type.Null()], {
    description: "the upper platform's end-session URL to open (RP-initiated logout), or null",
  }),
});

export const PortalEntry = Type.Object({
  platformId: Type.String(),
  tier: Type.String(),
  region: Type.String(),
  regionName: Type.Union([Type.String(), Type.Null()]),
  entryUrl: Type.String(),
  ssoUrl: Type.String({ description: 'opens the lower platform signed in through this platform' }),
  status: Type.String(),
  statusLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
  health: Type.Union([
    Type.Literal('healthy'),
    Type.Literal('degraded'),
    Type.Literal('stale'),
    Type.Literal('suspended'),
  ]),
  lastSuccessAt: Type.Union([Type.String(), Type.Null()]),
  lagMs: Type.Integer(),
  backlog: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([Type.String(), Type.Null()]),
});

export const Portal = Type.Object({
  platformId: Type.String(),
  issuer: Type.String({ description: "this platform's OpenID Connect issuer" }),
  items: Type.Array(PortalEntry),
});
export type Portal = Static<typeof Portal>;
