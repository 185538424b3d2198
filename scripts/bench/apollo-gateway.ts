/**
 * The alternative we measure against: @apollo/gateway + @apollo/server on the same supergraph
 * (schema/supergraph.graphql) and the same running subgraphs. It authenticates the same tokens
 * with the same code and forwards the same signed viewer, so both gateways do the same work per
 * request; it has no rate limiter, no armor rules and no metrics, which only favours it.
 *
 *   tsx scripts/bench/apollo-gateway.ts --port 4105   (subgraph ports from the environment, as the bench sets them)
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { loadConfig, subgraphUrl, SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/common/config.js';
import { VIEWER_HEADER } from '../../subgraphs/common/auth/internal-token.js';
import { Authenticator } from '../../gateway/auth.js';
import { ViewerTokens } from '../../gateway/viewer-forwarding.js';
import { readSupergraph, withSubgraphUrls } from '../../gateway/supergraph.js';

interface Context {
  viewerToken: string;
}

const config = loadConfig();
const { values: argv } = parseArgs({ options: { port: { type: 'string', default: '4105' } } });
const port = Number(argv.port);
const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(config, name)])) as Record<SubgraphName, string>;
const authenticator = new Authenticator(config);
const tokens = new ViewerTokens(config.internalSecret);

class ViewerForwardingDataSource extends RemoteGraphQLDataSource<Context> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): void {
    const token = (context as Partial<Context>).viewerToken;
    if (token) request.http?.headers.set(VIEWER_HEADER, token);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: withSubgraphUrls(readSupergraph(), urls),
  buildService: ({ url }) => new ViewerForwardingDataSource({ url }),
});
const server = new ApolloServer<Context>({ gateway, introspection: false });
await server.start();

const app = express();
app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
app.use(
  '/graphql',
  express.json({ limit: '100kb' }),
  expressMiddleware(server, {
    context: async ({ req }) => {
      const credentials = { authorization: req.header('authorization'), apiKey: req.header('x-api-key') };
      const viewer = await authenticator.authenticate(credentials);
      return { viewerToken: await tokens.tokenFor(credentials.apiKey ?? credentials.authorization ?? '', viewer) };
    },
  }),
);
const httpServer = http.createServer(app);
httpServer.listen(port, '127.0.0.1');
const stop = async () => {
  await server.stop();
  httpServer.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
