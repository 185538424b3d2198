/**
 * The gateway's patch of @graphql-tools/executor-http (gateway/patches/) sends variables that are
 * plain JSON straight to JSON.stringify, and only the others down the package's own path, which
 * looks for files to upload and sends them as a multipart request. Our gateway takes no uploads,
 * but the patched package must still send one as before: here the executor, as patched, posts to
 * a real HTTP server that records what arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';

interface Received {
  contentType: string;
  body: string;
}

describe('the patched subgraph executor', () => {
  let server: http.Server;
  let endpoint: string;
  const received: Received[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { upload: true } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const document = parse('mutation Upload($file: Upload, $note: String, $items: [Item!]) { upload(file: $file, note: $note, items: $items) }');

  it('sends plain JSON variables, nested lists and objects included, as one JSON body', async () => {
    const executor = buildHTTPExecutor({ endpoint });
    const variables = { note: 'plain', items: [{ id: 'a', tags: ['x', null], n: 1.5, ok: true }] };
    const result = await executor({ document, variables });
    expect(result).toEqual({ data: { upload: true } });
    const last = received.at(-1)!;
    expect(last.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(last.body).variables).toEqual(variables);
  });

  it('sends a file, however deep in the variables, as a multipart upload with its map and content', async () => {
    const executor = buildHTTPExecutor({ endpoint });
    const file = new File(['report of ward 00337'], 'report.txt', { type: 'text/plain' });
    const result = await executor({ document, variables: { note: 'with a file', items: [{ id: 'a', attachment: file }] } });
    expect(result).toEqual({ data: { upload: true } });
    const last = received.at(-1)!;
    expect(last.contentType).toMatch(/^multipart\/form-data; boundary=/);
    // The GraphQL multipart request: the operations with the file's place set to null, the map
    // from part to variable path, and the file's own part.
    expect(last.body).toContain('name="operations"');
    expect(last.body).toContain('"attachment":null');
    expect(last.body).toContain('name="map"');
    expect(last.body).toContain('{"0":["variables.items.0.attachment"]}');
    expect(last.body).toContain('filename="report.txt"');
    expect(last.body).toContain('report of ward 00337');
  });
});
