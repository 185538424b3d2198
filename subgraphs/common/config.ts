/**
 * Every setting of every process, read from the environment in one place, with defaults that
 * are safe for a developer's machine. Production sets the secrets; `assertProductionSafe`
 * refuses to start with the development ones.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SUBGRAPH_NAMES = ['facilities', 'patients', 'workforce', 'vaccination'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  facilities: 4001,
  patients: 4002,
  workforce: 4003,
  vaccination: 4004,
};

const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-in-production-0000';
const DEV_INTERNAL_SECRET = 'dev-only-gateway-to-subgraph-secret-0000000000';

export interface Config {
  env: 'development' | 'production' | 'test';
  /** Admin connection (creates roles and schemas). Unset: an embedded PostgreSQL is started. */
  databaseUrl: string | undefined;
  embeddedPostgres: { dataDir: string; port: number };
  ports: Record<SubgraphName | 'gateway', number>;
  host: string;
  /** HS256 secret that signs client JWTs in development. */
  jwtSecret: string;
  /** JWKS endpoint for client JWTs in production; when set, HS256 tokens are refused. */
  jwksUrl: string | undefined;
  jwtIssuer: string;
  jwtAudience: string;
  /** Partner API keys: `key=partnerName` pairs separated by commas. */
  apiKeys: Map<string, string>;
  /** Secret shared by the gateway and the subgraphs: signs the viewer the gateway forwards. */
  internalSecret: string;
  /** Where internal clients (the epidemic-level assessor) reach the gateway. */
  gatewayUrl: string;
  /** Credential of internal clients of the gateway; minted from JWT_SECRET when unset (development). */
  serviceToken: string | undefined;
  graphiql: boolean;
  introspection: boolean;
  /** Requests per second each client (token subject or API key) may send to the gateway; 0 disables. */
  rateLimitPerSecond: number;
  /** Largest request body the gateway accepts, in bytes. */
  maxRequestBytes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Event consumers: failed attempts at one event before it is dead-lettered, and the first retry wait (doubling, at most 30 s). */
  eventRetry: { maxAttempts: number; retryBaseMs: number };
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function parseApiKeys(value: string | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, partner] = pair.split('=');
    if (!key || !partner) throw new Error(`HRG_API_KEYS entries must look like key=partnerName, got "${pair}"`);
    keys.set(key, partner);
  }
  return keys;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const ports = { ...DEFAULT_PORTS };
  ports.gateway = int(env.PORT ?? env.GATEWAY_PORT, DEFAULT_PORTS.gateway, 'PORT');
  for (const name of SUBGRAPH_NAMES) {
    ports[name] = int(env[`${name.toUpperCase()}_PORT`], DEFAULT_PORTS[name], `${name.toUpperCase()}_PORT`);
  }
  const config: Config = {
    env: mode,
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPostgres: {
      dataDir: path.resolve(REPO_ROOT, env.HRG_PG_DATA_DIR ?? '.data/postgres'),
      port: int(env.HRG_PG_PORT, 54329, 'HRG_PG_PORT'),
    },
    ports,
    host: env.HOST ?? '127.0.0.1',
    jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
    jwksUrl: env.JWKS_URL || undefined,
    jwtIssuer: env.JWT_ISSUER ?? 'hanoi-response-graph',
    jwtAudience: env.JWT_AUDIENCE ?? 'hanoi-response-graph',
    apiKeys: parseApiKeys(env.HRG_API_KEYS ?? (mode === 'production' ? '' : 'dev-partner-key=hotline-1022')),
    internalSecret: env.HRG_INTERNAL_SECRET ?? DEV_INTERNAL_SECRET,
    gatewayUrl: env.GATEWAY_URL ?? `http://127.0.0.1:${ports.gateway}/graphql`,
    serviceToken: env.HRG_SERVICE_TOKEN || undefined,
    graphiql: bool(env.HRG_GRAPHIQL, mode !== 'production'),
    introspection: bool(env.HRG_INTROSPECTION, mode !== 'production'),
    rateLimitPerSecond: int(env.HRG_RATE_LIMIT, 100, 'HRG_RATE_LIMIT'),
    maxRequestBytes: int(env.HRG_MAX_REQUEST_BYTES, 100_000, 'HRG_MAX_REQUEST_BYTES'),
    logLevel: (['debug', 'info', 'warn', 'error'] as const).find((l) => l === env.LOG_LEVEL) ?? 'info',
    eventRetry: {
      maxAttempts: Math.max(1, int(env.HRG_EVENT_MAX_ATTEMPTS, 5, 'HRG_EVENT_MAX_ATTEMPTS')),
      retryBaseMs: int(env.HRG_EVENT_RETRY_MS, 500, 'HRG_EVENT_RETRY_MS'),
    },
  };
  if (mode === 'production') assertProductionSafe(config);
  return config;
}

function assertProductionSafe(config: Config): void {
  if (config.internalSecret === DEV_INTERNAL_SECRET) throw new Error('Set HRG_INTERNAL_SECRET in production');
  if (!config.jwksUrl && config.jwtSecret === DEV_JWT_SECRET) throw new Error('Set JWKS_URL (or JWT_SECRET) in production');
  if (!config.databaseUrl) throw new Error('Set DATABASE_URL in production: the embedded PostgreSQL is for development');
}

/** Where a subgraph listens, as the gateway should reach it. Overridable per subgraph. */
export function subgraphUrl(config: Config, name: SubgraphName, env: NodeJS.ProcessEnv = process.env): string {
  return env[`${name.toUpperCase()}_URL`] ?? `http://${config.host}:${config.ports[name]}/graphql`;
}
