import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { ROLES, ROLE_CODES, type VerbTable, rolesOfVerb } from './auth/roles.js';

/**
 * The OpenAPI document (`/docs`, `/docs/json`): integrators and the web's generated types read it. Besides every
 * route's schemas it lists what each role grants — a roles table and a verbs table in `info.description`, and on each
 * operation its verb (`x-verb`), the roles holding it (`x-roles`) and the same in words in its description.
 */
export async function installOpenApi(app: FastifyInstance, config: Config, verbs: VerbTable): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Suyuan 溯源 API',
        version: config.version,
        description: `农产品质量安全追溯管理信息平台 — agricultural product quality-safety traceability platform. Errors are \`{statusCode, code, message (zh-CN), messageEn, field?}\`. An anonymous call to an authenticated route is answered 401 and a call without the operation's verb 403, before the request is validated.\n\n${rolesAndVerbs(verbs)}`,
      },
      servers: [{ url: config.publicBaseUrl }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'session token from `login`, or an API token (`syt_…`)',
          },
          cookie: { type: 'apiKey', in: 'cookie', name: 'suyuan_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  // Document each route's permission verb, the roles holding it, and public-ness.
  app.addHook('onRoute', (route) => {
    // Static assets and the API browser are public; API routes are authenticated unless they say otherwise.
    if (!route.url.startsWith('/api/')) route.config = { public: true, ...(route.config as object) };
    const cfg = (route.config ?? {}) as { public?: boolean; verb?: string };
    if (!route.schema) return;
    const schema = route.schema as Record<string, unknown>;
    const append = (text: string) => {
      schema.description = `${schema.description ? `${schema.description}\n\n` : ''}${text}`;
    };
    if (cfg.public) {
      schema.security = [];
      schema['x-roles'] = [];
      return;
    }
    if (cfg.verb) {
      const roles = rolesOfVerb(cfg.verb, verbs);
      schema['x-verb'] = cfg.verb;
      schema['x-roles'] = roles;
      append(
        `Permission 权限: \`${cfg.verb}\` (within the caller's jurisdiction). Roles 角色: ${roles.map((r) => `\`${r}\``).join(', ')}.`,
      );
    } else {
      schema['x-roles'] = [...ROLE_CODES];
      append('Permission 权限: any authenticated account 任何已登录账号.');
    }
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** Markdown tables of the roles and of the verbs with the roles that hold them, generated from the verb table. */
export function rolesAndVerbs(verbs: VerbTable): string {
  const roleRows = ROLE_CODES.map((r) => {
    const held = Object.keys(verbs).filter((v) => rolesOfVerb(v, verbs).includes(r)).length;
    return `| \`${r}\` | ${cell(ROLES[r].zh)} | ${cell(ROLES[r].en)} | ${ROLES[r].orgKinds.join(', ')} | ${held} |`;
  });
  const verbRows = Object.entries(verbs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([v, d]) =>
        `| \`${v}\` | ${cell(d.zh)} | ${cell(d.en)} | ${rolesOfVerb(v, verbs)
          .map((r) => `\`${r}\``)
          .join(', ')} |`,
    );
  return [
    '## Roles 角色',
    '',
    'Each operation names its verb (`x-verb`) and the roles that hold it (`x-roles`). `platform_admin` holds every verb except those acting on the caller’s own producer record.',
    '',
    '| Role | 角色 | Name | Organisation kinds | Verbs |',
    '| --- | --- | --- | --- | --- |',
    ...roleRows,
    '',
    '## Verbs 权限',
    '',
    '| Verb | 权限 | Meaning | Roles |',
    '| --- | --- | --- | --- |',
    ...verbRows,
  ].join('\n');
}
