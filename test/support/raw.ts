/** Clients that misbehave on purpose: chunked bodies, oversized WebSocket messages, slow headers, SSE. */
import http from 'node:http';
import net from 'node:net';
import WebSocket from 'ws';

/** POSTs `body` with Transfer-Encoding: chunked (no Content-Length), in 16 kB chunks. */
export function postChunked(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    // The server may close the connection once it has answered: writes after that fail.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const buffer = Buffer.from(body);
    let offset = 0;
    const pump = () => {
      while (offset < buffer.length && !req.destroyed) {
        const chunk = buffer.subarray(offset, offset + 16_384);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

/**
 * Opens a graphql-ws socket, sends connection_init then `messages` (strings or sizes of junk),
 * and resolves with the close code (rejects when the socket stays open for `timeoutMs`).
 */
export function wsCloseCode(
  url: string,
  connectionParams: Record<string, unknown>,
  messages: (string | number)[] = [],
  timeoutMs = 5_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('socket stayed open'));
    }, timeoutMs);
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
      for (const m of messages) socket.send(typeof m === 'number' ? 'x'.repeat(m) : m);
    });
    socket.on('error', () => {});
    socket.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/**
 * Opens a graphql-ws socket and sends connection_init: resolves with the open socket once the
 * server acknowledges, or with the close code when it closes instead.
 */
export function wsConnect(url: string, connectionParams: Record<string, unknown>, timeoutMs = 5_000): Promise<{ socket: WebSocket } | { closed: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('neither acknowledged nor closed'));
    }, timeoutMs);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
    socket.on('error', () => {});
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type?: string }).type !== 'connection_ack') return;
      clearTimeout(timer);
      resolve({ socket });
    });
    socket.on('close', (code) => {
      clearTimeout(timer);
      resolve({ closed: code });
    });
  });
}

/** Sends part of a request's headers and nothing more; resolves with what the server sent before closing, and how long it took. */
export function slowHeaders(url: string, timeoutMs = 10_000): Promise<{ closedAfterMs: number; response: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname, () => socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nX-Slow: `));
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a client sending headers slowly for ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (response += c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closedAfterMs: Date.now() - started, response });
    });
  });
}

export interface SseEvent {
  event: string;
  data: string;
}

/** An open event stream (POST, Accept: text/event-stream), read event by event. */
export interface EventStream {
  status: number;
  /** The next event, or undefined once the server ended the stream; rejects after `timeoutMs`. */
  next(timeoutMs: number): Promise<SseEvent | undefined>;
  /** Every event until the server ends the stream; rejects when it is still open after `timeoutMs`. */
  rest(timeoutMs: number): Promise<SseEvent[]>;
  /** Goes away (aborts the request). */
  close(): void;
}

/**
 * Opens a subscription over Server-Sent Events; resolves once the response has started, rejects
 * when it has not within `startMs`. A read that times out leaves the stream unusable: close it.
 */
export async function openEventStream(url: string, query: string, headers: Record<string, string>, startMs = 10_000): Promise<EventStream> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the event stream did not start within ${startMs} ms`)), startMs);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  }).finally(() => clearTimeout(timer));
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let ended = false;
  // Blocks of `field: value` lines end with a blank line; a block of comments only is a keep-alive.
  const parse = (block: string): SseEvent | undefined => {
    const lines = block.split('\n').filter((line) => line && !line.startsWith(':'));
    if (lines.length === 0) return undefined;
    const field = (name: string) => lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trim()).join('\n');
    return { event: field('event') || 'message', data: field('data') };
  };
  const read = async (): Promise<SseEvent | undefined> => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const event = parse(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
        if (event) return event;
        continue;
      }
      if (ended) return undefined;
      const { value, done } = await reader.read();
      if (done) ended = true;
      else buffered += decoder.decode(value, { stream: true });
    }
  };
  const within = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} after ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };
  return {
    status: res.status,
    next: (timeoutMs) => within(read(), timeoutMs, 'no event'),
    rest: (timeoutMs) =>
      within(
        (async () => {
          const events: SseEvent[] = [];
          for (let event = await read(); event; event = await read()) events.push(event);
          return events;
        })(),
        timeoutMs,
        'the event stream was still open',
      ),
    close: () => controller.abort(),
  };
}

/**
 * Runs a subscription over Server-Sent Events and resolves with every event once the server ends
 * the stream; rejects when it is still open after `timeoutMs`.
 */
export async function sseUntilEnd(url: string, query: string, auth: string, timeoutMs: number): Promise<SseEvent[]> {
  const stream = await openEventStream(url, query, { authorization: `Bearer ${auth}` }, timeoutMs);
  try {
    return await stream.rest(timeoutMs);
  } finally {
    stream.close();
  }
}
