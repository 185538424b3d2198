/**
 * What one graphql-ws connection may cost: at most so many active subscriptions (each one
 * holds upstream subscriptions at the subgraphs), and at most so many messages per second; and
 * how many connections one client (a credential's subject) may hold open at once.
 */
import { GraphQLError } from 'graphql';
import type { WebSocket, WebSocketServer } from 'ws';

export const TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS';
/** Close code for a connection that sends messages faster than allowed (4429, like HTTP 429): graphql-ws's client does not reconnect after it. */
export const TOO_MANY_MESSAGES_CLOSE_CODE = 4429;
/** Close code for one connection too many of a client: 1013 Try Again Later, which graphql-ws's client retries with backoff. */
export const TOO_MANY_CONNECTIONS_CLOSE_CODE = 1013;

/**
 * The refusal for a subscription over the cap, or undefined. `active` counts the connection's
 * subscriptions including the one being started (graphql-ws registers it before onSubscribe).
 */
export function subscriptionCapRefusal(active: number, max: number): GraphQLError[] | undefined {
  return active <= max ? undefined : [tooManySubscriptions(max, 'on this connection', 'complete one first')];
}

/** The refusal of a subscription over a cap (per WebSocket connection, or per client's event streams). */
export function tooManySubscriptions(max: number, where: string, remedy: string): GraphQLError {
  return new GraphQLError(`Too many subscriptions ${where}: at most ${max} at a time; ${remedy}`, {
    extensions: { code: TOO_MANY_SUBSCRIPTIONS, maxSubscriptions: max },
  });
}

/** A token bucket: `perSecond` on average, bursts of twice that. */
class MessageBudget {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly perSecond: number) {
    this.tokens = perSecond * 2;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.perSecond * 2, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Closes (4429) every connection of `wss` that sends more than `perSecond` messages per second; 0 disables. */
export function limitMessageRate(wss: WebSocketServer, perSecond: number): void {
  if (perSecond <= 0) return;
  wss.on('connection', (socket: WebSocket) => {
    const budget = new MessageBudget(perSecond);
    socket.on('message', () => {
      if (!budget.take() && socket.readyState === socket.OPEN) socket.close(TOO_MANY_MESSAGES_CLOSE_CODE, 'Too many messages');
    });
  });
}

/**
 * What one client (a credential's subject) holds open at once on this gateway process, up to a
 * cap: WebSocket connections (without a cap one credential could open sockets, each with up to
 * HRG_WS_MAX_SUBSCRIPTIONS subscriptions, until the process ran out of memory), and event streams.
 */
export class SlotsPerClient {
  private readonly open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Takes a slot of `client` and returns what gives it back (once, however often called), or undefined when the client holds `max` already. */
  take(client: string): (() => void) | undefined {
    const count = this.open.get(client) ?? 0;
    if (count >= this.max) return undefined;
    this.open.set(client, count + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = (this.open.get(client) ?? 1) - 1;
      if (left > 0) this.open.set(client, left);
      else this.open.delete(client);
    };
  }
}
