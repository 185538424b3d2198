/**
 * GraphQL over HTTP at /graphql: GraphiQL for a browser's GET (where enabled); otherwise the body
 * is read up to its cap, the client authenticated and rate-limited, and the request handed to the
 * runtime inside its trace span, with the credential's expiry as the deadline of any event stream.
 */
import type http from 'node:http';
import type { GatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { Config } from '../subgraphs/common/config.js';
import type { Logger } from '../subgraphs/common/log.js';
import { credentialRefusal, rateLimited, type CredentialRefusal } from './auth.js';
import { attachBody, readLimitedBody } from './body-limit.js';
import type { ClientRateLimiter } from './limits.js';
import { header, refuse, type Route } from './respond.js';
import type { StreamDeadlineContext } from './stream-expiry.js';
import { runInContext, traceRequest } from './tracing.js';
import type { Authenticate, ViewerContext } from './viewer-forwarding.js';
import type { GraphiQLHandler } from './graphiql.js';

export interface GraphQLOverHttpOptions {
  path: string;
  config: Config;
  runtime: GatewayRuntime<ViewerContext>;
  authenticate: Authenticate;
  rateLimiter: ClientRateLimiter;
  log: Logger;
  /** The GraphiQL page (gateway/graphiql.ts), for a browser's GET. */
  graphiqlPage: Pick<GraphiQLHandler, 'page'>;
}

const answer = (res: http.ServerResponse, refusal: CredentialRefusal) => refuse(res, refusal.status, refusal.code, refusal.message, refusal.headers);

function wantsGraphiQL(req: http.IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export function graphqlOverHttp({ path, config, runtime, authenticate, rateLimiter, log, graphiqlPage }: GraphQLOverHttpOptions): Route {
  const execute = (req: http.IncomingMessage, res: http.ServerResponse) => {
    authenticate({ authorization: header(req, 'authorization'), apiKey: header(req, 'x-api-key') })
      .then(async (context) => {
        const wait = await rateLimiter.check(context.viewer.subject);
        if (wait > 0) {
          answer(res, rateLimited(wait));
          return;
        }
        const traced = traceRequest(req, res, { 'hrg.viewer.role': context.viewer.role });
        const expiresAt = context.viewer.expiresAt;
        // An event stream ends with the credential and with the client's connection (stream-expiry.ts).
        const streamClosed = new Promise<void>((resolve) => res.once('close', () => resolve()));
        const httpContext: ViewerContext & StreamDeadlineContext = { ...context, streamClosed, ...(expiresAt ? { streamDeadline: expiresAt * 1000 } : {}) };
        void runInContext(traced, () => runtime(req, res, httpContext));
      })
      .catch(async (error: unknown) => {
        answer(res, await credentialRefusal(error, req.socket.remoteAddress, { rateLimit: (key) => rateLimiter.check(key), log }));
      });
  };

  return {
    handle(req, res, pathname) {
      if (pathname !== path) return false;
      if (wantsGraphiQL(req)) {
        graphiqlPage.page(req, res);
        return true;
      }
      readLimitedBody(req, config.maxRequestBytes).then(
        (body) => {
          if (!body) {
            // The rest of the body is never read: answer, then close the connection.
            refuse(res, 413, 'BAD_USER_INPUT', `Request body too large: at most ${config.maxRequestBytes} bytes`, { connection: 'close' });
            return;
          }
          attachBody(req, body);
          execute(req, res);
        },
        () => req.destroy(),
      );
      return true;
    },
  };
}
