/**
 * The verified viewer, forwarded to every subgraph: the gateway authenticates each client once
 * (HTTP request or WebSocket connection), signs the viewer it found with the internal secret, and
 * sends that token with every subgraph request (HTTP header) and upstream subscription (graphql-ws
 * connection parameter). Subgraphs trust nothing else.
 */
import type { Config } from '../subgraphs/common/config.js';
import { VIEWER_CONNECTION_PARAM, VIEWER_HEADER, VIEWER_TOKEN_WINDOW_SECONDS, signViewer } from '../subgraphs/common/auth/internal-token.js';
import type { Viewer } from '../subgraphs/common/auth/viewer.js';
import { AuthenticationError, Authenticator, type Credentials } from './auth.js';

export interface ViewerContext {
  viewer?: Viewer;
  /** The signed viewer sent to the subgraphs, read when each subgraph request is made. */
  forwarded?: ForwardedViewer;
}

/** A signed viewer token, valid whenever it is read. */
export interface ForwardedViewer {
  readonly token: string;
}

/**
 * One signed viewer token per client credential and token window, so requests of one client
 * share upstream sockets; the next window brings a fresh token before the old one expires.
 */
export class ViewerTokens {
  private readonly cache = new Map<string, { window: number; token: Promise<string> }>();
  constructor(
    private readonly secret: string,
    private readonly windowSeconds = VIEWER_TOKEN_WINDOW_SECONDS,
  ) {}
  tokenFor(credential: string, viewer: Viewer): Promise<string> {
    const now = Date.now();
    const window = Math.floor(now / 1000 / this.windowSeconds);
    let entry = this.cache.get(credential);
    if (!entry || entry.window !== window) {
      if (this.cache.size > 50_000) this.cache.clear();
      entry = { window, token: signViewer(viewer, this.secret, now, this.windowSeconds) };
      this.cache.set(credential, entry);
    }
    return entry.token;
  }
}

/**
 * The forwarded viewer of a WebSocket connection, which may outlive any one token: it is signed
 * again at the start of every window, while the one before is still valid (a token lives the rest
 * of its window and the whole next). A subscription started an hour ago makes its subgraph
 * requests with the current token; with the token of its connection's first minute, every
 * cross-subgraph field of its events, and every later operation on the socket, was refused by the
 * subgraphs once that token expired (15 to 30 minutes in).
 *
 * It renews for as long as anything uses it, not only while its socket is open: a shared
 * subscription runs with its first subscriber's context and goes on after that subscriber left.
 * The timer holds it weakly, so renewing stops once nothing else refers to it.
 */
export class ConnectionViewer implements ForwardedViewer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /**
   * @param renew signs the next token, after checking the client's credential again (a key
   *   withdrawn from the JWKS, a partner key removed): AuthenticationError when it no longer holds
   * @param refused told when the credential no longer holds; the connection should end
   */
  constructor(
    public token: string,
    private readonly renew: () => Promise<string>,
    windowSeconds: number,
    private readonly refused: () => void,
  ) {
    ConnectionViewer.schedule(new WeakRef(this), windowSeconds);
  }

  /**
   * Renews no more, for a user whose end is known (an event stream that ended): left to the
   * garbage collector, renewing went on, a credential check per window, until the old generation
   * was next collected.
   */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private static schedule(ref: WeakRef<ConnectionViewer>, windowSeconds: number, retryMs?: number): void {
    const windowMs = windowSeconds * 1000;
    // Just after the next window starts, so that the new token belongs to it.
    const delay = retryMs ?? (Math.floor(Date.now() / windowMs) + 1) * windowMs - Date.now() + Math.min(1_000, windowMs / 10);
    const owner = ref.deref();
    if (!owner || owner.stopped) return;
    owner.timer = setTimeout(() => {
      // Nothing is scheduled after a refusal, so a live viewer here is one to renew.
      const self = ref.deref();
      if (!self || self.stopped) return;
      self.renew().then(
        (token) => {
          if (self.stopped) return;
          self.token = token;
          ConnectionViewer.schedule(ref, windowSeconds);
        },
        (error: unknown) => {
          if (self.stopped) return;
          if (error instanceof AuthenticationError) {
            self.refused();
          } else {
            // Not the credential (the JWKS endpoint slow or down): the token in hand is valid for
            // the rest of this window; try again soon.
            ConnectionViewer.schedule(ref, windowSeconds, Math.min(30_000, windowMs / 4));
          }
        },
      );
    }, delay).unref();
  }
}

/** Turns a client's credentials into its viewer and the token forwarded for it; throws AuthenticationError. */
export type Authenticate = (credentials: Credentials) => Promise<{ viewer: Viewer; forwarded: ForwardedViewer; renew: () => Promise<string> }>;

export function viewerAuthentication(config: Config): Authenticate {
  const authenticator = new Authenticator(config);
  const tokens = new ViewerTokens(config.internalSecret, config.viewerTokenWindowSeconds);
  return async (credentials) => {
    const viewer = await authenticator.authenticate(credentials);
    const credential = credentials.apiKey ?? credentials.authorization ?? '';
    // A connection's renewal checks the credential again (the verification is kept up to 60 s).
    const renew = async () => tokens.tokenFor(credential, await authenticator.authenticate(credentials));
    return { viewer, forwarded: { token: await tokens.tokenFor(credential, viewer) }, renew };
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
      headers: [[VIEWER_HEADER, '{context.forwarded.token}']] as [string, string][],
      options: {
        deduplicateInflightRequests: false,
        subscriptions: {
          kind: 'ws',
          location: graphqlPath,
          options: { connectionParams: { [VIEWER_CONNECTION_PARAM]: '{context.forwarded.token}' } },
        },
      },
    },
  };
}
