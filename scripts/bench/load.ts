/**
 * Load generation and latency statistics: autocannon for one HTTP request sent over and over, a
 * closed loop of Node's HTTP client for requests that each differ, and a closed loop for SQL.
 */
import http from 'node:http';
import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  requests: number;
  /** Completed requests per second. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Transport errors and timeouts, non-2xx answers and answers that fail their check: none of them is in `requests`, `rps` or the percentiles. */
  failures: number;
  /** The first answer that failed its check (`expectBody` or `check`): 500 characters, from its errors if it has some. */
  firstMismatch?: string;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index]!;
}

function summarize(label: string, latencies: number[], seconds: number, failures: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    label,
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    failures,
  };
}

export interface HttpLoad {
  label: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /**
   * Headers of distinct clients, taken in turn by successive requests (on top of `headers`): the
   * requests in flight at one time then come from different clients, as on a city's dashboards,
   * and a gateway cannot merge them into one subgraph request.
   */
  clients?: Record<string, string>[];
  connections: number;
  seconds: number;
  /** Send exactly this many requests instead of loading for `seconds`. */
  amount?: number;
  /** Every answer must be this body (trailing whitespace aside); a difference counts as a failure. */
  expectBody?: string;
  /** Otherwise, every answer must pass this check (an answer that may differ between requests). */
  check?: (body: string) => boolean;
}

/**
 * Runs one HTTP load with autocannon, recording every response time for exact percentiles. Only
 * answers that pass count as served (in the rate and the percentiles): a 2xx status and the
 * expected body or `check`; the others, and transport errors and timeouts, are failures.
 */
export async function httpLoad(load: HttpLoad): Promise<LoadResult> {
  const latencies: number[] = [];
  let firstMismatch: string | undefined;
  let refused = 0;
  const { clients } = load;
  let turn = 0;
  const perClient = clients?.length
    ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, headers: { ...request.headers, ...clients[turn++ % clients.length] } }) }] }
    : {};
  const passes = (body: string): boolean => {
    if (load.expectBody !== undefined) return body.trimEnd() === load.expectBody;
    try {
      return load.check ? load.check(body) : true;
    } catch {
      return false; // not JSON, say
    }
  };
  // autocannon tells of an answer ('response', with its status and time) and then, synchronously,
  // has verifyBody judge the same answer's body: the time is kept only for an answer that passes.
  let answer: { status: number; ms: number } | undefined;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: load.url,
        method: 'POST',
        body: load.body,
        headers: { 'content-type': 'application/json', ...load.headers },
        connections: load.connections,
        ...perClient,
        ...(load.amount ? { amount: load.amount } : { duration: load.seconds }),
        verifyBody: (raw: unknown) => {
          const body = String(raw);
          const judged = answer;
          answer = undefined;
          const ok = judged !== undefined && judged.status >= 200 && judged.status < 300 && passes(body);
          if (ok) latencies.push(judged.ms);
          else {
            refused += 1;
            if (firstMismatch === undefined) {
              // Its errors when it has some (after the data), else its beginning.
              const errors = body.indexOf('"errors":');
              firstMismatch = `${judged ? `HTTP ${judged.status}: ` : ''}${body.slice(Math.max(0, errors), Math.max(0, errors) + 500)}`;
            }
          }
          return ok;
        },
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => void (answer = { status, ms: responseTime }));
  });
  // autocannon's `errors` are the transport's, timeouts included (it also counts those apart).
  const summary = summarize(load.label, latencies, (performance.now() - started) / 1000, result.errors + refused);
  return firstMismatch === undefined ? summary : { ...summary, firstMismatch };
}

/** For progress output: how many answers of a load failed, and the first that failed its check. */
export const failedAnswers = (result: LoadResult): string => `${result.failures} answers failed; the first that failed its check: ${result.firstMismatch ?? 'none'}`;

/** A closed loop of `concurrency` workers calling `work` for `seconds`, timing each call. */
export async function loopLoad(label: string, concurrency: number, seconds: number, work: () => Promise<unknown>): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await work();
          latencies.push(performance.now() - t);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  return summarize(label, latencies, (performance.now() - started) / 1000, failures);
}

export const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : '–');
export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');

/** A Markdown table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** How long `httpRequests` waits for one answer (fetch, before it, waited 300 s). */
const REQUEST_TIMEOUT_MS = 60_000;

/** Requests that each differ (a patient per admission), sent by a closed loop of clients. */
export interface HttpRequests {
  url: string;
  headers: Record<string, string>;
  /** Clients, each with one request in flight at a time and a kept-alive connection of its own. */
  connections: number;
  /** How many requests in all; request i gets `bodyOf(i)`. */
  count: number;
  bodyOf(i: number): string;
}

/**
 * Sends `count` distinct requests from a closed loop of clients, each taking the next request as
 * soon as its last is answered, and hands back each answer's body by request number, with every
 * request's time. For writes, where `httpLoad`'s one body will not do.
 *
 * Node's own HTTP client with kept-alive connections: the contention scenario sent its requests
 * with `fetch` before, which cost about 0.4 ms of the load generator's CPU per request against
 * 0.07 to 0.1 ms for this client (60 clients, 6,000 requests to a local server, on the bench's
 * machine), on the two cores the services under test share. autocannon, with a body per request,
 * deals the requests out to its connections in equal shares up front, so the slowest connection's
 * share ended the run (198 attempts/s at the subgraph and through the gateway, against 211 and 262
 * with `fetch` in the run after).
 *
 * An answer is handed back whatever its status (the caller judges it); `failures` counts those
 * that are not 200 and requests that got no answer, one that takes longer than `REQUEST_TIMEOUT_MS`
 * included.
 */
export async function httpRequests(load: HttpRequests): Promise<{ answers: Map<number, { status: number; text: string }>; latencies: number[]; failures: number; seconds: number }> {
  const target = new URL(load.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: load.connections });
  const send = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', ...load.headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  const answers = new Map<number, { status: number; text: string }>();
  let failures = 0;
  try {
    const { latencies, seconds } = await countedLoop(load.connections, load.count, async (i) => {
      try {
        const answer = await send(load.bodyOf(i));
        if (answer.status !== 200) failures += 1;
        answers.set(i, answer);
      } catch {
        failures += 1;
      }
    });
    return { answers, latencies, failures, seconds };
  } finally {
    agent.destroy();
  }
}

/**
 * A closed loop of `concurrency` clients doing `count` numbered pieces of work, each taking the
 * next number as soon as its last piece is done; every piece's time (it judges its own outcome).
 */
export async function countedLoop(concurrency: number, count: number, work: (i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await work(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
