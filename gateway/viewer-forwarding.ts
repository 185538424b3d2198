/**
 * The verified viewer, forwarded to every subgraph: the gateway authenticates each client once
 * (HTTP request or WebSocket connection), signs the viewer it found with the internal secret, and
 * sends that token with every subgraph request (HTTP header) and upstream subscription (graphql-ws
 * connection parameter). Subgraphs trust nothing else.
 */
import type { Config } from '../subgraphs/common/config.js';
import { VIEWER_CONNECTION_PARAM, VIEWER_HEADER, VIEWER_TOKEN_WINDOW_SECONDS, signViewer } from '../subgraphs/common/auth/internal-token.js';
import type { Viewer } from '../subgraphs/common/auth/viewer.js';
import { Authenticator, type Credentials } from './auth.js';

export interface ViewerContext {
  viewer?: Viewer;
  viewerToken?: string;
}

/**
 * One signed viewer token per client credential and token window, so requests of one client
 * share upstream sockets; the next window brings a fresh token before the old one expires.
 */
export class ViewerTokens {
  private readonly cache = new Map<string, { window: number; token: Promise<string> }>();
  constructor(private readonly secret: string) {}
  tokenFor(credential: string, viewer: Viewer): Promise<string> {
    const window = Math.floor(Date.now() / 1000 / VIEWER_TOKEN_WINDOW_SECONDS);
    let entry = this.cache.get(credential);
    if (!entry || entry.window !== window) {
      if (this.cache.size > 50_000) this.cache.clear();
      entry = { window, token: signViewer(viewer, this.secret) };
      this.cache.set(credential, entry);
    }
    return entry.token;
  }
}

/** Turns a client's credentials into its viewer and the token forwarded for it; throws AuthenticationError. */
export type Authenticate = (credentials: Credentials) => Promise<Required<ViewerContext>>;

export function viewerAuthentication(config: Config): Authenticate {
  const authenticator = new Authenticator(config);
  const tokens = new ViewerTokens(config.internalSecret);
  return async (credentials) => {
    const viewer = await authenticator.authenticate(credentials);
    return { viewer, viewerToken: await tokens.tokenFor(credentials.apiKey ?? credentials.authorization ?? '', viewer) };
  };
}

/**
 * How the gateway reaches the subgraphs with the viewer: over HTTP the token is a header of the
 * transport itself, over graphql-ws a connection parameter.
 *
 * The header belongs in the transport's `headers`, not added later by a fetch hook: the HTTP
 * executor sends identical queries in flight once and shares the answer, and it keys them by URL,
 * body and the transport's headers only. A header added after that (our first version set it in
 * `onFetch`) left the viewer out of the key, so a partner asking for a patient in the same instant
 * as a city officer got the officer's answer, personal data included
 * (test/gateway/authorization.test.ts, "same instant"). With the token in the key, only requests of
 * one viewer share an answer.
 *
 * The merging itself is off as well (the key stays right should it come back): different viewers' requests never merge, one viewer
 * seldom has two identical queries in flight (a dashboard waits for its answer), and every answer
 * paid for the merging with a `structuredClone` of its data (6.5 % of the gateway's CPU for
 * CapacityBoard). It also wrote one audit entry for many reads of the same personal data.
 */
export function viewerTransport(graphqlPath: string) {
  return {
    '*.http': {
      headers: [[VIEWER_HEADER, '{context.viewerToken}']] as [string, string][],
      options: {
        deduplicateInflightRequests: false,
        subscriptions: {
          kind: 'ws',
          location: graphqlPath,
          options: { connectionParams: { [VIEWER_CONNECTION_PARAM]: '{context.viewerToken}' } },
        },
      },
    },
  };
}
