/** The bench's HTTP load counts only answers that pass as served: in its rate and percentiles. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpLoad } from '../../scripts/bench/load.js';

describe('httpLoad', () => {
  let server: http.Server;
  let url: string;
  let served = 0;

  beforeAll(async () => {
    // In turn: a good answer, an answer with errors, a 500 with a good body.
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const turn = served++ % 3;
        res.writeHead(turn === 2 ? 500 : 200, { 'content-type': 'application/json' });
        res.end(turn === 1 ? '{"data":null,"errors":[{"message":"no"}]}' : '{"data":{"ok":true}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['an expected body', { expectBody: '{"data":{"ok":true}}' }],
    ['a check', { check: (body: string) => !(JSON.parse(body) as { errors?: unknown }).errors }],
  ])('with %s, counts failed checks and non-2xx answers as failures, not as requests', async (_, answers) => {
    served = 0;
    const result = await httpLoad({ label: 't', url, body: '{}', headers: {}, connections: 1, seconds: 10, amount: 30, ...answers });
    expect(served).toBe(30);
    expect({ requests: result.requests, failures: result.failures }).toEqual({ requests: 10, failures: 20 });
    expect(result.firstMismatch).toBe('HTTP 200: "errors":[{"message":"no"}]}');
  });
});
