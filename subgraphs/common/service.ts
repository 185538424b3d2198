/**
 * How a subgraph is put together and run: a definition (name, schema, migrations, how to build
 * its runtime and per-request context) and one function that starts it as a process or inside
 * a test, on any port.
 */
import { setupTracing, shutdownTracing } from './tracing.js';
import type { GraphQLSchema } from 'graphql';
import type { Migration } from 'kysely';
import { loadConfig, type Config, type SubgraphName } from './config.js';
import { subgraphDatabaseUrl } from './db/database.js';
import { startPostgres } from './db/postgres.js';
import type { Viewer } from './auth/viewer.js';
import { createLogger, type Logger } from './log.js';
import type { SubgraphRuntime, RuntimeOptions, RuntimeTables } from './runtime.js';
import { startSubgraphServer, type RunningServer } from './server.js';

export interface SubgraphDefinition<DB extends RuntimeTables = any, Ctx extends object = any> {
  name: SubgraphName;
  schema: GraphQLSchema;
  migrations: Record<string, Migration>;
  /** `runtime` is what every subgraph's runtime takes alike (see runtimeOptions). */
  createRuntime(options: { runtime: RuntimeOptions; log: Logger; config: Config }): SubgraphRuntime<DB>;
  createContext(runtime: SubgraphRuntime<DB>, viewer: Viewer, requestId: string): Ctx;
}

export interface RunningSubgraph extends RunningServer {
  name: SubgraphName;
  runtime: SubgraphRuntime<any>;
}

export interface StartOptions {
  /** Connection string of the subgraph's own role. */
  databaseUrl: string;
  port?: number;
  host?: string;
  config?: Config;
  log?: Logger;
}

/** The runtime options that come from the process's configuration, the same for every subgraph. */
export function runtimeOptions(name: SubgraphName, databaseUrl: string, log: Logger, config: Config): RuntimeOptions {
  return { name, databaseUrl, log, preparedStatements: config.preparedStatements };
}

export async function startSubgraph(definition: SubgraphDefinition, options: StartOptions): Promise<RunningSubgraph> {
  const config = options.config ?? loadConfig();
  const log = options.log ?? createLogger(definition.name, config.logLevel);
  const runtime = definition.createRuntime({ runtime: runtimeOptions(definition.name, options.databaseUrl, log, config), log, config });
  Object.assign(runtime.eventRetry, config.eventRetry);
  await runtime.start();
  try {
    const server = await startSubgraphServer({
      name: definition.name,
      schema: definition.schema,
      port: options.port ?? 0,
      host: options.host ?? config.host,
      log,
      internalSecret: config.internalSecret,
      introspection: config.introspection,
      createContext: (viewer, requestId) => definition.createContext(runtime, viewer, requestId),
      ready: () => runtime.readiness(),
      maxRequestBytes: config.subgraphMaxRequestBytes,
      headersTimeoutMs: config.headersTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      metricsToken: config.metricsToken,
      metrics: runtime.metrics,
      executor: config.subgraphExecutor,
    });
    return {
      ...server,
      name: definition.name,
      runtime,
      async close() {
        await server.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/** Process entry of a subgraph: `tsx subgraphs/<name>/main.ts`. */
export async function runSubgraphProcess(definition: SubgraphDefinition): Promise<void> {
  const config = loadConfig();
  const log = createLogger(definition.name, config.logLevel);
  if (await setupTracing({ serviceName: `hrg-${definition.name}` })) log.info('exporting traces over OTLP');
  const adminUrl = config.databaseUrl ?? (await startPostgres(config)).adminUrl;
  const running = await startSubgraph(definition, {
    databaseUrl: subgraphDatabaseUrl(adminUrl, definition.name),
    port: config.ports[definition.name],
    config,
    log,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await running.close().catch((error: unknown) => log.error({ err: error }, 'error during shutdown'));
    await shutdownTracing().catch(() => {});
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
