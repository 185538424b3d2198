/** Limits every HTTP server of the platform (gateway and subgraphs) puts on its clients. */
import type http from 'node:http';

/**
 * Node's defaults give a client 60 s to send its headers and 300 s for its request, which lets
 * a few slow clients hold many sockets. Timeouts are checked on an interval (30 s by default),
 * so check often enough for the timeouts to mean what they say.
 */
export function slowClientTimeouts(limits: { headersTimeoutMs: number; requestTimeoutMs: number }): http.ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}
