/** Configuration fails closed: development defaults stay on loopback, production names every secret it needs. */
import { describe, expect, it } from '@jest/globals';
import { isLoopback, loadConfig, logLevel, subgraphRoleSettings, tracingSettings } from '../../subgraphs/common/config.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db.internal/hrg',
  JWT_SECRET: 'a-real-secret-of-enough-length-for-hs256-000000001',
  HRG_INTERNAL_SECRET: 'a-real-internal-secret-of-enough-length-00000001',
};

describe('loadConfig', () => {
  it('runs with development defaults on loopback, the development login included', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.devLogin).toBe(true);
    expect(config.apiKeys.size).toBe(1);
    expect(loadConfig({ HOST: '::1' }).devLogin).toBe(true);
    expect(loadConfig({ HOST: 'localhost' }).devLogin).toBe(true);
  });

  it('refuses development defaults on a non-loopback address, naming what to set', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST=0\.0\.0\.0 is not a loopback address.*JWT_SECRET.*HRG_INTERNAL_SECRET.*HRG_API_KEYS.*HRG_METRICS_TOKEN/);
    expect(() => loadConfig({ HOST: '10.0.0.5', JWT_SECRET: 'x'.repeat(40) })).toThrow(/HRG_INTERNAL_SECRET/);
    expect(() => loadConfig({ HOST: '10.0.0.5', NODE_ENV: 'test' })).toThrow(/not a loopback address/);
  });

  it('serves a non-loopback address with explicit secrets, but never the development login', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      JWT_SECRET: 'x'.repeat(40),
      HRG_INTERNAL_SECRET: 'y'.repeat(40),
      HRG_API_KEYS: 'k1=partner',
      HRG_METRICS_TOKEN: 'z'.repeat(40),
    });
    expect(config.devLogin).toBe(false);
    expect(config.metricsToken).toBe('z'.repeat(40));
  });

  it('refuses a REDIS_URL that is not redis:// without echoing its password', () => {
    const message = (value: string) => {
      try {
        loadConfig({ REDIS_URL: value });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`REDIS_URL=${value} was accepted`);
    };
    for (const value of ['http://cache:s3cr3t-Pa55@redis.internal:6379', 'redis//cache:s3cr3t-Pa55@redis.internal:6379', ':s3cr3t-Pa55@redis.internal']) {
      const text = message(value);
      expect(text).toMatch(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      expect(text).not.toContain('s3cr3t-Pa55');
    }
    expect(message('http://redis.internal:6379')).toContain('http:');
    expect(loadConfig({ REDIS_URL: 'rediss://cache:s3cr3t-Pa55@redis.internal:6380' }).redisUrl).toBe('rediss://cache:s3cr3t-Pa55@redis.internal:6380');
  });

  it('requires every secret production uses', () => {
    expect(loadConfig(PRODUCTION).env).toBe('production');
    expect(loadConfig(PRODUCTION).devLogin).toBe(false);
    expect(loadConfig(PRODUCTION).metricsToken).toBeUndefined(); // no token: /metrics is not served
    expect(loadConfig(PRODUCTION).apiKeys.size).toBe(0);
    const { HRG_INTERNAL_SECRET: _i, ...noInternal } = PRODUCTION;
    expect(() => loadConfig(noInternal)).toThrow(/HRG_INTERNAL_SECRET/);
    const { JWT_SECRET: _j, ...noJwt } = PRODUCTION;
    expect(() => loadConfig(noJwt)).toThrow(/JWKS_URL \(or JWT_SECRET\)/);
    const { DATABASE_URL: _d, ...noDatabase } = PRODUCTION;
    expect(() => loadConfig(noDatabase)).toThrow(/DATABASE_URL/);
    // With an identity provider's JWKS nothing can mint the assessor's token: it must be given.
    expect(() => loadConfig({ ...noJwt, JWKS_URL: 'https://idp.example/jwks.json' })).toThrow(/HRG_SERVICE_TOKEN/);
    expect(loadConfig({ ...noJwt, JWKS_URL: 'https://idp.example/jwks.json', HRG_SERVICE_TOKEN: 'a.b.c' }).serviceToken).toBe('a.b.c');
    expect(() => loadConfig({ ...PRODUCTION, HRG_API_KEYS: 'dev-partner-key=hotline-1022' })).toThrow(/development partner key/);
  });

  it('reads limits and timeouts, and refuses nonsense', () => {
    const config = loadConfig({ HRG_HEADERS_TIMEOUT_MS: '500', HRG_REQUEST_TIMEOUT_MS: '1000', HRG_UPSTREAM_TIMEOUT_MS: '2000', HRG_WS_MAX_SUBSCRIPTIONS: '3', HRG_WS_MESSAGE_RATE: '7' });
    expect(config).toMatchObject({ headersTimeoutMs: 500, requestTimeoutMs: 1000, upstreamTimeoutMs: 2000, maxSubscriptionsPerConnection: 3, wsMessagesPerSecond: 7 });
    expect(loadConfig({})).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxRequestBytes: 100_000 });
    expect(() => loadConfig({ HRG_HEADERS_TIMEOUT_MS: '5000', HRG_REQUEST_TIMEOUT_MS: '1000' })).toThrow(/HRG_HEADERS_TIMEOUT_MS/);
    expect(() => loadConfig({ HRG_MAX_REQUEST_BYTES: '-1' })).toThrow(/HRG_MAX_REQUEST_BYTES/);
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('reads the shared rate-limit store and the trusted-documents switch, and refuses nonsense', () => {
    expect(loadConfig({})).toMatchObject({ redisUrl: undefined, rateLimitKeyPrefix: 'hrg:rate', partnerTrustedDocumentsOnly: false });
    expect(loadConfig(PRODUCTION).partnerTrustedDocumentsOnly).toBe(true);
    expect(loadConfig({ ...PRODUCTION, HRG_PARTNER_TRUSTED_DOCUMENTS_ONLY: 'false' }).partnerTrustedDocumentsOnly).toBe(false);
    expect(loadConfig({ HRG_PARTNER_TRUSTED_DOCUMENTS_ONLY: 'on' }).partnerTrustedDocumentsOnly).toBe(true);
    expect(() => loadConfig({ HRG_PARTNER_TRUSTED_DOCUMENTS_ONLY: 'partners' })).toThrow(/HRG_PARTNER_TRUSTED_DOCUMENTS_ONLY must be true or false/);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', HRG_RATE_LIMIT_PREFIX: 'run-1' })).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', rateLimitKeyPrefix: 'run-1' });
    expect(() => loadConfig({ REDIS_URL: '127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ HRG_RATE_LIMIT_PREFIX: 'a b' })).toThrow(/HRG_RATE_LIMIT_PREFIX/);
  });

  it('chooses the gateway query planner and the subgraph executor, and refuses unknown ones', () => {
    expect(loadConfig({}).queryPlanner).toBe('rust');
    expect(loadConfig({ HRG_QUERY_PLANNER: '' }).queryPlanner).toBe('rust');
    expect(loadConfig({ HRG_QUERY_PLANNER: 'rust' }).queryPlanner).toBe('rust');
    expect(loadConfig({ HRG_QUERY_PLANNER: 'js' }).queryPlanner).toBe('js');
    expect(() => loadConfig({ HRG_QUERY_PLANNER: 'apollo' })).toThrow(/HRG_QUERY_PLANNER/);
    expect(loadConfig({}).subgraphExecutor).toBe('jit');
    expect(loadConfig({ HRG_SUBGRAPH_EXECUTOR: 'graphql-js' }).subgraphExecutor).toBe('graphql-js');
    expect(() => loadConfig({ HRG_SUBGRAPH_EXECUTOR: 'fast' })).toThrow('HRG_SUBGRAPH_EXECUTOR must be one of jit, graphql-js, got "fast"');
    expect(loadConfig({}).preparedStatements).toBe(true);
    expect(loadConfig({ HRG_PREPARED_STATEMENTS: 'off' }).preparedStatements).toBe(false);
    expect(() => loadConfig({ HRG_PREPARED_STATEMENTS: 'yes' })).toThrow('HRG_PREPARED_STATEMENTS must be one of on, off, got "yes"');
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.org', '127.0.0.1.nip.io']) expect(isLoopback(host)).toBe(false);
  });

  it('reads logging, tracing and database-role settings here too, for modules that start before a Config exists', () => {
    expect([logLevel({}), logLevel({ NODE_ENV: 'test' }), logLevel({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }), logLevel({ LOG_LEVEL: 'loud' })]).toEqual(['info', 'silent', 'debug', 'info']);
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(tracingSettings({})).toEqual({ otlp: false, serviceName: undefined });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces', OTEL_SERVICE_NAME: 'hrg-x' })).toEqual({ otlp: true, serviceName: 'hrg-x' });
    expect(subgraphRoleSettings('patients', {})).toEqual({ url: undefined, password: 'hrg_patients_dev' });
    expect(subgraphRoleSettings('patients', { HRG_DB_ROLE_PASSWORD: 'secret', PATIENTS_DATABASE_URL: 'postgres://db.internal/hrg' })).toEqual({
      url: 'postgres://db.internal/hrg',
      password: 'secret_patients',
    });
  });
});
