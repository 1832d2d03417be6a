import { readFileSync } from 'node:fs';
import path from 'node:path';

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
  /** Password for the national administrator created on first start; generated and printed once when unset. */
  adminPassword?: string;
  sessionTtlHours: number;
  /** Failed logins before an account is locked, and for how long. */
  maxFailedLogins: number;
  lockMinutes: number;
  /** Load the 620,573 villages in the background after start (else only down to townships). */
  loadVillages: boolean;
  bodyLimitBytes: number;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const tier = (env.PLATFORM_TIER ?? 'national') as PlatformTier;
  if (!PLATFORM_TIERS.includes(tier)) throw new Error(`PLATFORM_TIER must be one of ${PLATFORM_TIERS.join(', ')}`);
  const region = env.PLATFORM_REGION ?? '';
  if (!/^(\d{2}|\d{4}|\d{6}|)$/.test(region)) throw new Error('PLATFORM_REGION must be a 2-, 4- or 6-digit division code');
  const port = int('PORT', env.PORT, 3000);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    platformTier: tier,
    platformRegion: region,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    sessionTtlHours: int('SESSION_TTL_HOURS', env.SESSION_TTL_HOURS, 12),
    maxFailedLogins: int('MAX_FAILED_LOGINS', env.MAX_FAILED_LOGINS, 5),
    lockMinutes: int('LOCK_MINUTES', env.LOCK_MINUTES, 15),
    loadVillages: env.LOAD_VILLAGES !== 'false',
    bodyLimitBytes: int('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES, 1024 * 1024),
    version: pkg.version,
    publicTrace: {
      rateLimitPerMinute: int('PUBLIC_RATE_LIMIT', env.PUBLIC_RATE_LIMIT, 300),
      logFlushMs: int('QUERY_LOG_FLUSH_MS', env.QUERY_LOG_FLUSH_MS, 1000),
      logFlushRows: int('QUERY_LOG_FLUSH_ROWS', env.QUERY_LOG_FLUSH_ROWS, 1000),
      alertNetworks: int('SCAN_ALERT_NETWORKS', env.SCAN_ALERT_NETWORKS, 10),
      alertKm: int('SCAN_ALERT_KM', env.SCAN_ALERT_KM, 500),
      alertMinScans: int('SCAN_ALERT_MIN_SCANS', env.SCAN_ALERT_MIN_SCANS, 50),
      alertFactor: int('SCAN_ALERT_FACTOR', env.SCAN_ALERT_FACTOR, 3),
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
