/** Gateway process entry: `tsx gateway/main.ts`. */
import { loadConfig, subgraphUrl, SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/common/config.js';
import { createLogger } from '../subgraphs/common/log.js';
import { startGateway } from './server.js';
import { setupTracing, shutdownTracing } from '../subgraphs/common/tracing.js';

const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
if (await setupTracing({ serviceName: 'hrg-gateway' })) log.info('exporting traces over OTLP');
const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(config, name)])) as Record<SubgraphName, string>;
const gateway = await startGateway({ config, subgraphUrls, log });

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const timer = setTimeout(() => process.exit(1), 10_000).unref();
  await gateway.close().catch((error: unknown) => log.error({ err: error }, 'error during shutdown'));
  await shutdownTracing().catch(() => {});
  clearTimeout(timer);
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
