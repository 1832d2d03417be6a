import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { passwordHashCost } from './kernel/auth/crypto.js';

/** Platform tiers (平台层级): a lower-tier platform shares its data upward to the next tier. */
export const PLATFORM_TIERS = ['national', 'province', 'city', 'county'] as const;
export type PlatformTier = (typeof PLATFORM_TIERS)[number];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string;
  logLevel: string;
  publicBaseUrl: string;
  platformTier: PlatformTier;
  /** Division code this platform serves ('' = the whole country). */
  platformRegion: string;
  /** Upward sharing (src/modules/sharing): the upper platform's base URL (unset at national) and our SM2 key file. */
  upperPlatformUrl?: string;
  platformKeyFile: string;
  /** Single sign-on (src/modules/sso): the OpenID provider's signing keys (JWKS) and cookie keys, made on first start. */
  oidcKeyFile: string;
  /** Password for the national administrator created on first start; generated and printed once when unset. */
  adminPassword?: string;
  sessionTtlHours: number;
  /** How long a resolved session or API token is remembered in this process (ms; 0: never). See kernel/auth/sessions.ts. */
  sessionCacheMs: number;
  /** Failed logins before an account is locked, and for how long. */
  maxFailedLogins: number;
  lockMinutes: number;
  /** Load the 620,573 villages in the background after start (else only down to townships). */
  loadVillages: boolean;
  /** Origin-map records the demo generates (`npm run demo`, `DEMO=true`). */
  demoOriginRecords: number;
  bodyLimitBytes: number;
  /** On SIGTERM: how long new requests (on kept-alive connections) get 503 + `Connection: close` before closing. */
  shutdownGraceMs: number;
  /**
   * HTTP processes (node:cluster) sharing the port, on PostgreSQL only: the primary migrates and runs the jobs and
   * the sharing loop; each worker serves requests. 1 = one process doing everything (PGlite: always 1).
   */
  workers: number;
  /**
   * A streaming replica (PostgreSQL only) for public lookups, reports and exports (src/kernel/db/replica.ts); a
   * session that wrote reads the primary until the replica has replayed its commit. Absent = every read on the primary.
   */
  databaseReadUrl?: string;
  /** Beyond this replication lag (ms) the replica is not used (reads go to the primary) until it catches up. */
  readReplicaMaxLagMs: number;
  /** Redis for state that must agree across processes (per-client rate limits); absent = in process memory. */
  redisUrl?: string;
  /** Background jobs run at once in this process (PGlite has one connection: 1; PostgreSQL: a few). */
  jobConcurrency: number;
  /** Query log (查询记录): rows older than this are folded into daily counts and deleted. */
  queryLogRetentionDays: number;
  /** Query log: client addresses older than this are cut to their network (IPv4 /24, IPv6 /48). */
  queryLogAddressDays: number;
  /** Proxies whose `X-Forwarded-For` is believed (addresses or CIDRs); empty = the socket's address is the client. */
  trustProxy: string[];
  version: string;
  /** S3-compatible object storage for files (src/kernel/files.ts); absent = local directory `dataDir/files`. */
  s3?: S3Config;
  /** Public trace page (src/modules/public): rate limit, query-log flushing, counterfeit-signal thresholds. */
  publicTrace: PublicTraceConfig;
}

export interface PublicTraceConfig {
  /** Requests per minute per client address on the public trace endpoints. */
  rateLimitPerMinute: number;
  /** Query-log buffer: flushed every `logFlushMs` or at `logFlushRows` rows, whichever comes first. */
  logFlushMs: number;
  logFlushRows: number;
  /** Alert when one code is queried from at least this many distinct client networks within 7 days. */
  alertNetworks: number;
  /** Alert when two browser-reported locations of one code's queries are this far apart (km) within 7 days. */
  alertKm: number;
  /** Alert when a code is queried more than max(alertMinScans, alertFactor × units sold per code of its batch). */
  alertMinScans: number;
  alertFactor: number;
  /** 通查通识: how long a lookup waits for another platform's answer about its code (ms). */
  remoteTimeoutMs: number;
  /**
   * The in-process public resolver (resolver.ts): at most this many runs of issued codes held in memory (0: no
   * resolver, every lookup reads the database), and at most this many batches' public documents.
   */
  resolverRuns: number;
  resolverDocs: number;
  /** Projections built ahead of the first scan (prebuild.ts): how often the primary looks for due batches (ms; 0: never). */
  prebuildMs: number;
}

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** `TRUST_PROXY`: comma-separated IPv4/IPv6 addresses or CIDRs of the reverse proxies in front (default: none). */
export function trustedProxies(value: string | undefined): string[] {
  const list = (value ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const x of list)
    if (!/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)(\/\d{1,3})?$/.test(x))
      throw new Error(`TRUST_PROXY must list IP addresses or CIDRs, got "${x}"`);
  return list;
}

/** WORKERS: a count, or `auto` for one per CPU core; more than one needs PostgreSQL (PGlite is one process). */
function workersOf(env: NodeJS.ProcessEnv): number {
  const raw = env.WORKERS ?? '1';
  const n = raw === 'auto' ? availableParallelism() : int('WORKERS', raw, 1);
  if (n < 1) throw new Error('WORKERS must be at least 1');
  if (n > 1 && !env.DATABASE_URL)
    throw new Error('WORKERS above 1 needs PostgreSQL (DATABASE_URL): the embedded database serves one process');
  return n;
}

/** DATABASE_READ_URL: a PostgreSQL streaming replica; the embedded database has none. */
function readUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_READ_URL || undefined;
  if (url && !env.DATABASE_URL)
    throw new Error(
      'DATABASE_READ_URL needs PostgreSQL (DATABASE_URL): the embedded database (PGlite) has no read replicas',
    );
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new Error(`DATABASE_READ_URL must be a postgres:// connection string, got "${url}"`);
  return url;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const tier = (env.PLATFORM_TIER ?? 'national') as PlatformTier;
  if (!PLATFORM_TIERS.includes(tier)) throw new Error(`PLATFORM_TIER must be one of ${PLATFORM_TIERS.join(', ')}`);
  const region = env.PLATFORM_REGION ?? '';
  if (!/^(\d{2}|\d{4}|\d{6}|)$/.test(region))
    throw new Error('PLATFORM_REGION must be a 2-, 4- or 6-digit division code');
  const port = int('PORT', env.PORT, 3000);
  passwordHashCost(env); // refuses an unknown PASSWORD_HASH_COST, and `test` in production, at start
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    platformTier: tier,
    platformRegion: region,
    upperPlatformUrl: env.UPPER_PLATFORM_URL ? env.UPPER_PLATFORM_URL.replace(/\/+$/, '') : undefined,
    platformKeyFile: path.resolve(env.PLATFORM_KEY_FILE ?? path.join(env.DATA_DIR ?? './data', 'platform-key.pem')),
    oidcKeyFile: path.resolve(env.OIDC_KEY_FILE ?? path.join(env.DATA_DIR ?? './data', 'oidc-keys.json')),
    adminPassword: env.ADMIN_PASSWORD || undefined,
    sessionTtlHours: int('SESSION_TTL_HOURS', env.SESSION_TTL_HOURS, 12),
    sessionCacheMs: int('SESSION_CACHE_MS', env.SESSION_CACHE_MS, 5000),
    maxFailedLogins: int('MAX_FAILED_LOGINS', env.MAX_FAILED_LOGINS, 5),
    lockMinutes: int('LOCK_MINUTES', env.LOCK_MINUTES, 15),
    loadVillages: env.LOAD_VILLAGES !== 'false',
    demoOriginRecords: int('DEMO_ORIGIN_RECORDS', env.DEMO_ORIGIN_RECORDS, 50_000),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES, 1024 * 1024),
    trustProxy: trustedProxies(env.TRUST_PROXY),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS, 1000),
    workers: workersOf(env),
    databaseReadUrl: readUrlOf(env),
    readReplicaMaxLagMs: Math.max(100, int('DATABASE_READ_MAX_LAG_MS', env.DATABASE_READ_MAX_LAG_MS, 10_000)),
    redisUrl: env.REDIS_URL || undefined,
    jobConcurrency: Math.max(1, int('JOB_CONCURRENCY', env.JOB_CONCURRENCY, env.DATABASE_URL ? 2 : 1)),
    queryLogRetentionDays: Math.max(1, int('QUERY_LOG_RETENTION_DAYS', env.QUERY_LOG_RETENTION_DAYS, 180)),
    queryLogAddressDays: Math.max(1, int('QUERY_LOG_ADDRESS_DAYS', env.QUERY_LOG_ADDRESS_DAYS, 30)),
    version: pkg.version,
    publicTrace: {
      rateLimitPerMinute: int('PUBLIC_RATE_LIMIT', env.PUBLIC_RATE_LIMIT, 300),
      logFlushMs: int('QUERY_LOG_FLUSH_MS', env.QUERY_LOG_FLUSH_MS, 1000),
      logFlushRows: int('QUERY_LOG_FLUSH_ROWS', env.QUERY_LOG_FLUSH_ROWS, 1000),
      alertNetworks: int('SCAN_ALERT_NETWORKS', env.SCAN_ALERT_NETWORKS, 10),
      alertKm: int('SCAN_ALERT_KM', env.SCAN_ALERT_KM, 500),
      alertMinScans: int('SCAN_ALERT_MIN_SCANS', env.SCAN_ALERT_MIN_SCANS, 50),
      alertFactor: int('SCAN_ALERT_FACTOR', env.SCAN_ALERT_FACTOR, 3),
      remoteTimeoutMs: Math.max(100, int('PUBLIC_REMOTE_TIMEOUT_MS', env.PUBLIC_REMOTE_TIMEOUT_MS, 2000)),
      resolverRuns: int('PUBLIC_RESOLVER_RUNS', env.PUBLIC_RESOLVER_RUNS, 2_000_000),
      resolverDocs: Math.max(1, int('PUBLIC_RESOLVER_DOCS', env.PUBLIC_RESOLVER_DOCS, 20_000)),
      prebuildMs: int('PUBLIC_PREBUILD_MS', env.PUBLIC_PREBUILD_MS, 2000),
    },
    s3: env.S3_ENDPOINT
      ? {
          endpoint: env.S3_ENDPOINT.replace(/\/+$/, ''),
          bucket: env.S3_BUCKET ?? 'suyuan',
          region: env.S3_REGION ?? 'us-east-1',
          accessKeyId: env.S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '',
        }
      : undefined,
    ...overrides,
  };
}
