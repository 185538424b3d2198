/**
 * Every setting of every process, read from the environment in one place (nothing else reads
 * process.env for settings). Development defaults (secrets written in this file, the partner
 * key, the development login) only ever serve a loopback address: a service that binds anything
 * else without its own secrets refuses to start, and production requires every secret it uses.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VIEWER_TOKEN_WINDOW_SECONDS } from './auth/internal-token.js';

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
const DEV_API_KEYS = 'dev-partner-key=hotline-1022';
export const DEV_METRICS_TOKEN = 'dev-only-metrics-token-0000000000000000000000';

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
  /**
   * HRG_VIEWER_TOKEN_WINDOW_SECONDS (default 900): a viewer token forwarded to the subgraphs lives
   * the rest of its window and the whole next one; a WebSocket connection gets a new one in every
   * window. Tests shorten it to see a connection outlive its first token.
   */
  viewerTokenWindowSeconds: number;
  /** Where internal clients (the epidemic-level assessor) reach the gateway. */
  gatewayUrl: string;
  /** Credential of internal clients of the gateway; minted from JWT_SECRET when unset (development). */
  serviceToken: string | undefined;
  graphiql: boolean;
  introspection: boolean;
  /** Requests per second each client (token subject or API key) may send to the gateway; 0 disables. */
  rateLimitPerSecond: number;
  /**
   * Redis shared by every gateway replica for the per-client rate limit (redis:// or rediss://);
   * unset: each replica counts in its own memory.
   */
  redisUrl: string | undefined;
  /** Prefix of the rate limit's Redis keys (one per deployment, or per test run). */
  rateLimitKeyPrefix: string;
  /**
   * Partner API keys may send only registered (trusted) documents, by hash; other viewers may still
   * send any document. On by default in production only.
   */
  partnerTrustedDocumentsOnly: boolean;
  /** Largest request body or WebSocket message a client may send the gateway, in bytes. */
  maxRequestBytes: number;
  /**
   * Largest request body or WebSocket message a subgraph accepts. Larger than the client's:
   * the gateway's entity fetches carry representations of many objects.
   */
  subgraphMaxRequestBytes: number;
  /** Subscriptions one graphql-ws connection may hold open at the gateway. */
  maxSubscriptionsPerConnection: number;
  /** graphql-ws connections one client (a credential's subject) may hold open at one gateway process. */
  maxConnectionsPerClient: number;
  /** Messages per second one graphql-ws connection may send the gateway (bursts of twice that); 0 disables. */
  wsMessagesPerSecond: number;
  /** Time a client has to send its request headers, then its whole request (HTTP servers, ms). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Longest the gateway waits for a subgraph's answer to a query or mutation (ms). */
  upstreamTimeoutMs: number;
  /**
   * The gateway's query planner: `rust` (default) is the Hive Router planner
   * (@graphql-hive/router-runtime), `js` Hive Gateway's own (graphql-tools stitching), kept as
   * an escape hatch. HRG_QUERY_PLANNER.
   */
  queryPlanner: QueryPlanner;
  /**
   * What runs a subgraph's queries: `jit` (default) compiles each operation with graphql-jit,
   * `graphql-js` interprets it, kept as an escape hatch and for side-by-side benchmarks.
   * HRG_SUBGRAPH_EXECUTOR.
   */
  subgraphExecutor: SubgraphExecutor;
  /**
   * Whether subgraphs send parameterised statements as named prepared statements: `on`
   * (default) or `off`, kept as an escape hatch and for side-by-side benchmarks.
   * HRG_PREPARED_STATEMENTS.
   */
  preparedStatements: boolean;
  /** Bearer token a Prometheus scraper sends to /metrics; unset: /metrics is not served. */
  metricsToken: string | undefined;
  /** The Chromium binary `npm run screenshots` drives. CHROMIUM_PATH, default Debian's. */
  chromiumPath: string;
  /** The dashboard's development login (/dashboard/dev-token): development on loopback only. */
  devLogin: boolean;
  /** 'silent' under tests unless LOG_LEVEL asks otherwise. */
  logLevel: LogLevel;
  tracing: TracingSettings;
  /** Event consumers: failed attempts at one event before it is dead-lettered, and the first retry wait (doubling, at most 30 s). */
  eventRetry: { maxAttempts: number; retryBaseMs: number };
  /** Hours a referral between tiers may stay requested or offered without progress before it expires. */
  referralExpiryHours: number;
  /** Minutes a citizen's help request may wait unacknowledged before it escalates to the district. */
  helpEscalationMinutes: number;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL; by default 'info', and 'silent' under tests. */
export function logLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  return LOG_LEVELS.find((l) => l === env.LOG_LEVEL) ?? (env.NODE_ENV === 'test' ? 'silent' : 'info');
}

export interface TracingSettings {
  /** Export spans over OTLP/HTTP (the exporter reads its endpoint and headers from the OTEL_* variables). */
  otlp: boolean;
  /** OTEL_SERVICE_NAME, overriding the process's own name in the spans' resource. */
  serviceName: string | undefined;
}

export function tracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings {
  return { otlp: !!(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), serviceName: env.OTEL_SERVICE_NAME || undefined };
}

/**
 * How a subgraph's own login role connects: `<NAME>_DATABASE_URL` when operations provision
 * roles themselves; otherwise the role's password, derived from HRG_DB_ROLE_PASSWORD when set
 * (development: a fixed one per subgraph).
 */
export function subgraphRoleSettings(subgraph: SubgraphName, env: NodeJS.ProcessEnv = process.env): { url: string | undefined; password: string } {
  return {
    url: env[`${subgraph.toUpperCase()}_DATABASE_URL`] || undefined,
    password: env.HRG_DB_ROLE_PASSWORD ? `${env.HRG_DB_ROLE_PASSWORD}_${subgraph}` : `hrg_${subgraph}_dev`,
  };
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

/** A yes/no setting that refuses anything it does not recognise rather than guessing. */
function strictBool(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  const v = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

function redisUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  // The URL may carry a password: the messages never repeat it (nor anything that may hide one).
  try {
    url = new URL(value);
  } catch {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL, got a value that is not a URL (not repeated here: it may hold a password)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must be a redis:// or rediss:// URL, got one with protocol "${url.protocol}"`);
  }
  return value;
}

function rateLimitKeyPrefix(value: string | undefined): string {
  if (value === undefined || value === '') return 'hrg:rate';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(value)) throw new Error(`HRG_RATE_LIMIT_PREFIX must be 1-64 letters, digits or ":_.-", got "${value}"`);
  return value;
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

export const QUERY_PLANNERS = ['js', 'rust'] as const;
export type QueryPlanner = (typeof QUERY_PLANNERS)[number];

export const SUBGRAPH_EXECUTORS = ['jit', 'graphql-js'] as const;
export type SubgraphExecutor = (typeof SUBGRAPH_EXECUTORS)[number];

/** One of a setting's allowed values; `fallback` when unset or empty. */
function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  const found = allowed.find((a) => a === value);
  if (!found) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return found;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const ports = { ...DEFAULT_PORTS };
  ports.gateway = int(env.PORT ?? env.GATEWAY_PORT, DEFAULT_PORTS.gateway, 'PORT');
  for (const name of SUBGRAPH_NAMES) {
    ports[name] = int(env[`${name.toUpperCase()}_PORT`], DEFAULT_PORTS[name], `${name.toUpperCase()}_PORT`);
  }
  const host = env.HOST ?? '127.0.0.1';
  const config: Config = {
    env: mode,
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPostgres: {
      dataDir: path.resolve(REPO_ROOT, env.HRG_PG_DATA_DIR ?? '.data/postgres'),
      port: int(env.HRG_PG_PORT, 54329, 'HRG_PG_PORT'),
    },
    ports,
    host,
    jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
    jwksUrl: env.JWKS_URL || undefined,
    jwtIssuer: env.JWT_ISSUER ?? 'hanoi-response-graph',
    jwtAudience: env.JWT_AUDIENCE ?? 'hanoi-response-graph',
    apiKeys: parseApiKeys(env.HRG_API_KEYS ?? (mode === 'production' ? '' : DEV_API_KEYS)),
    internalSecret: env.HRG_INTERNAL_SECRET ?? DEV_INTERNAL_SECRET,
    viewerTokenWindowSeconds: Math.max(1, int(env.HRG_VIEWER_TOKEN_WINDOW_SECONDS, VIEWER_TOKEN_WINDOW_SECONDS, 'HRG_VIEWER_TOKEN_WINDOW_SECONDS')),
    gatewayUrl: env.GATEWAY_URL ?? `http://127.0.0.1:${ports.gateway}/graphql`,
    serviceToken: env.HRG_SERVICE_TOKEN || undefined,
    graphiql: bool(env.HRG_GRAPHIQL, mode !== 'production'),
    introspection: bool(env.HRG_INTROSPECTION, mode !== 'production'),
    rateLimitPerSecond: int(env.HRG_RATE_LIMIT, 100, 'HRG_RATE_LIMIT'),
    redisUrl: redisUrl(env.REDIS_URL),
    rateLimitKeyPrefix: rateLimitKeyPrefix(env.HRG_RATE_LIMIT_PREFIX),
    partnerTrustedDocumentsOnly: strictBool(env.HRG_PARTNER_TRUSTED_DOCUMENTS_ONLY, mode === 'production', 'HRG_PARTNER_TRUSTED_DOCUMENTS_ONLY'),
    maxRequestBytes: int(env.HRG_MAX_REQUEST_BYTES, 100_000, 'HRG_MAX_REQUEST_BYTES'),
    subgraphMaxRequestBytes: int(env.HRG_SUBGRAPH_MAX_REQUEST_BYTES, 2_000_000, 'HRG_SUBGRAPH_MAX_REQUEST_BYTES'),
    maxSubscriptionsPerConnection: int(env.HRG_WS_MAX_SUBSCRIPTIONS, 50, 'HRG_WS_MAX_SUBSCRIPTIONS'),
    maxConnectionsPerClient: Math.max(1, int(env.HRG_WS_MAX_CONNECTIONS_PER_CLIENT, 100, 'HRG_WS_MAX_CONNECTIONS_PER_CLIENT')),
    wsMessagesPerSecond: int(env.HRG_WS_MESSAGE_RATE, 50, 'HRG_WS_MESSAGE_RATE'),
    headersTimeoutMs: int(env.HRG_HEADERS_TIMEOUT_MS, 10_000, 'HRG_HEADERS_TIMEOUT_MS'),
    requestTimeoutMs: int(env.HRG_REQUEST_TIMEOUT_MS, 30_000, 'HRG_REQUEST_TIMEOUT_MS'),
    upstreamTimeoutMs: int(env.HRG_UPSTREAM_TIMEOUT_MS, 15_000, 'HRG_UPSTREAM_TIMEOUT_MS'),
    queryPlanner: oneOf('HRG_QUERY_PLANNER', env.HRG_QUERY_PLANNER, QUERY_PLANNERS, 'rust'),
    subgraphExecutor: oneOf('HRG_SUBGRAPH_EXECUTOR', env.HRG_SUBGRAPH_EXECUTOR, SUBGRAPH_EXECUTORS, 'jit'),
    preparedStatements: oneOf('HRG_PREPARED_STATEMENTS', env.HRG_PREPARED_STATEMENTS, ['on', 'off'] as const, 'on') === 'on',
    metricsToken: env.HRG_METRICS_TOKEN || (mode === 'production' ? undefined : DEV_METRICS_TOKEN),
    chromiumPath: env.CHROMIUM_PATH || '/usr/bin/chromium',
    devLogin: mode !== 'production' && isLoopback(host),
    logLevel: logLevel(env),
    tracing: tracingSettings(env),
    eventRetry: {
      maxAttempts: Math.max(1, int(env.HRG_EVENT_MAX_ATTEMPTS, 5, 'HRG_EVENT_MAX_ATTEMPTS')),
      retryBaseMs: int(env.HRG_EVENT_RETRY_MS, 500, 'HRG_EVENT_RETRY_MS'),
    },
    referralExpiryHours: Math.max(1, int(env.HRG_REFERRAL_EXPIRY_HOURS, 6, 'HRG_REFERRAL_EXPIRY_HOURS')),
    helpEscalationMinutes: Math.max(1, int(env.HRG_HELP_ESCALATION_MINUTES, 30, 'HRG_HELP_ESCALATION_MINUTES')),
  };
  if (!config.headersTimeoutMs || !config.requestTimeoutMs || config.headersTimeoutMs > config.requestTimeoutMs) {
    throw new Error('HRG_HEADERS_TIMEOUT_MS and HRG_REQUEST_TIMEOUT_MS must be positive, headers no longer than the whole request');
  }
  if (mode === 'production') assertProductionSafe(config);
  else assertDevelopmentDefaultsOnLoopback(config);
  return config;
}

/** 127.0.0.0/8, ::1 and localhost: the only addresses development defaults may serve. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/** Which development defaults (secrets written in this file) the configuration still uses. */
function developmentDefaultsInUse(config: Config): string[] {
  const defaults: string[] = [];
  if (!config.jwksUrl && config.jwtSecret === DEV_JWT_SECRET) defaults.push('JWT_SECRET (or JWKS_URL)');
  if (config.internalSecret === DEV_INTERNAL_SECRET) defaults.push('HRG_INTERNAL_SECRET');
  if (config.apiKeys.has(DEV_API_KEYS.split('=')[0]!)) defaults.push('HRG_API_KEYS');
  if (config.metricsToken === DEV_METRICS_TOKEN) defaults.push('HRG_METRICS_TOKEN');
  return defaults;
}

function assertDevelopmentDefaultsOnLoopback(config: Config): void {
  if (isLoopback(config.host)) return;
  const defaults = developmentDefaultsInUse(config);
  if (defaults.length) {
    throw new Error(
      `HOST=${config.host} is not a loopback address, and the development defaults of ${defaults.join(', ')} are public: ` +
        'set them (or NODE_ENV=production), or bind 127.0.0.1',
    );
  }
}

function assertProductionSafe(config: Config): void {
  if (config.internalSecret === DEV_INTERNAL_SECRET) throw new Error('Set HRG_INTERNAL_SECRET in production');
  if (!config.jwksUrl && config.jwtSecret === DEV_JWT_SECRET) throw new Error('Set JWKS_URL (or JWT_SECRET) in production');
  if (config.apiKeys.has(DEV_API_KEYS.split('=')[0]!)) throw new Error('The development partner key is refused in production: set HRG_API_KEYS');
  if (config.metricsToken === DEV_METRICS_TOKEN) throw new Error('The development metrics token is refused in production: set HRG_METRICS_TOKEN');
  // The epidemic-level assessor calls the gateway as a client: without JWKS it mints its token
  // with JWT_SECRET, but an identity provider's JWKS leaves it nothing to sign with.
  if (config.jwksUrl && !config.serviceToken) throw new Error('Set HRG_SERVICE_TOKEN in production with JWKS_URL: internal clients cannot mint tokens');
  if (!config.databaseUrl) throw new Error('Set DATABASE_URL in production: the embedded PostgreSQL is for development');
}

/** Where a subgraph listens, as the gateway should reach it. Overridable per subgraph. */
export function subgraphUrl(config: Config, name: SubgraphName, env: NodeJS.ProcessEnv = process.env): string {
  return env[`${name.toUpperCase()}_URL`] ?? `http://${config.host}:${config.ports[name]}/graphql`;
}
