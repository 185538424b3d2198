/**
 * The gateway writes shared subscription results as WebSocket frames of its own making: a client
 * (ws, which checks every frame it parses) must receive each one whole, for every length encoding
 * of RFC 6455 (7-bit, 16-bit and 64-bit lengths) and for text beyond ASCII, in order with ws's own
 * frames on the same connection.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { WrittenMessages, socketDelivery } from '../../gateway/websocket.js';

describe('socketDelivery', () => {
  let server: http.Server;
  let wss: WebSocketServer;
  let url: string;

  beforeAll(async () => {
    server = http.createServer();
    wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('frames messages of every length so that the client reads them whole and in order', async () => {
    const payloads = [
      { data: { n: 1 } }, // under 126 bytes
      { data: { name: 'Bệnh viện Đa khoa Hà Đông', pad: 'x'.repeat(300) } }, // 16-bit length, multi-byte UTF-8
      { data: { pad: 'y'.repeat(70_000) } }, // 64-bit length
    ].map((p) => JSON.stringify(p));
    const serverSide = new Promise<void>((resolve) =>
      wss.once('connection', (socket, request) => {
        const delivery = socketDelivery(socket, request.socket, 'sub-"1"');
        delivery.write(payloads[0]!);
        socket.send('from ws itself'); // ws's own frame in between
        delivery.write(payloads[1]!);
        delivery.write(payloads[2]!);
        resolve();
      }),
    );
    const client = new WebSocket(url);
    const received: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.on('message', (data) => {
        received.push(data.toString());
        if (received.length === 4) resolve();
      });
      client.on('error', reject);
      client.on('close', (code) => reject(new Error(`closed with ${code}`)));
    });
    await serverSide;
    await done;
    client.removeAllListeners('close');
    client.close();
    expect(received[1]).toBe('from ws itself');
    const messages = [received[0], received[2], received[3]].map((m) => JSON.parse(m!));
    expect(messages).toEqual(payloads.map((p) => ({ id: 'sub-"1"', type: 'next', payload: JSON.parse(p) })));
  });

  it('counts a backlog only while the socket holds unsent bytes, and none once they drain', async () => {
    const connected = new Promise<{ delivery: ReturnType<typeof socketDelivery>; tcp: import('node:net').Socket }>((resolve) =>
      wss.once('connection', (socket, request) => resolve({ delivery: socketDelivery(socket, request.socket, 's'), tcp: request.socket })),
    );
    const client = new WebSocket(url);
    await new Promise((resolve) => client.once('open', resolve));
    const { delivery, tcp } = await connected;
    client.pause(); // the client stops reading: the kernel's buffers fill, then the socket's own
    const payload = JSON.stringify({ data: 'z'.repeat(64 * 1024) });
    let written = 0;
    expect(delivery.backlog).toBe(0);
    while (tcp.writableLength === 0 && written < 2_000) {
      delivery.write(payload);
      written += 1;
    }
    expect(tcp.writableLength).toBeGreaterThan(0);
    expect(delivery.backlog).toBeGreaterThan(0);
    expect(delivery.backlog).toBeLessThanOrEqual(written);
    let read = 0;
    const all = new Promise<void>((resolve) =>
      client.on('message', () => {
        read += 1;
        if (read === written) resolve();
      }),
    );
    client.resume();
    await all;
    expect(delivery.backlog).toBe(0);
    client.close();
  });

  it('frames messages whose length sits on each boundary of the length encodings', async () => {
    // The whole message is {"id":"b","type":"next","payload":"xx…"}: pad it to exactly n bytes.
    const overhead = Buffer.byteLength('{"id":"b","type":"next","payload":""}');
    const sizes = [125, 126, 127, 65_535, 65_536, 65_537];
    const payloads = sizes.map((n) => JSON.stringify('x'.repeat(n - overhead)));
    const serverSide = new Promise<void>((resolve) =>
      wss.once('connection', (socket, request) => {
        const delivery = socketDelivery(socket, request.socket, 'b');
        for (const p of payloads) delivery.write(p);
        resolve();
      }),
    );
    const client = new WebSocket(url);
    const received: Buffer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.on('message', (data) => {
        received.push(data as Buffer);
        if (received.length === sizes.length) resolve();
      });
      client.on('error', reject);
    });
    await serverSide;
    await done;
    client.close();
    expect(received.map((b) => b.length)).toEqual(sizes);
    expect(received.map((b) => JSON.parse(b.toString()).payload)).toEqual(payloads.map((p) => JSON.parse(p)));
  });

  it('counts a stalled backlog by the messages still buffered, not by the size of the latest one', async () => {
    const connected = new Promise<{ delivery: ReturnType<typeof socketDelivery>; tcp: import('node:net').Socket }>((resolve) =>
      wss.once('connection', (socket, request) => resolve({ delivery: socketDelivery(socket, request.socket, 'm'), tcp: request.socket })),
    );
    const client = new WebSocket(url);
    await new Promise((resolve) => client.once('open', resolve));
    const { delivery, tcp } = await connected;
    client.pause();
    const big = JSON.stringify({ data: 'z'.repeat(64 * 1024) });
    let written = 0;
    while (tcp.writableLength === 0 && written < 2_000) {
      delivery.write(big);
      written += 1;
    }
    const bigOnes = delivery.backlog;
    expect(bigOnes).toBeGreaterThan(0);
    // Two tiny results behind the big ones: two more messages waiting, not 64 KiB / 40 bytes.
    delivery.write('1');
    delivery.write('2');
    expect(delivery.backlog).toBe(bigOnes + 2);
    client.resume();
    client.close();
  });
});

describe('WrittenMessages', () => {
  it('forgets the oldest messages as the buffer drains and counts none once it is empty', () => {
    const messages = new WrittenMessages();
    messages.written(100, true);
    expect(messages.waiting(() => 100)).toBe(0); // not pressed: not even asked
    messages.written(1_000, false); // the buffer is over its mark now
    messages.written(10, false);
    messages.written(10, false);
    expect(messages.waiting(() => 1_120)).toBe(4);
    expect(messages.waiting(() => 1_020)).toBe(3); // the first 100 bytes left
    expect(messages.waiting(() => 15)).toBe(2); // part of the third is still there
    expect(messages.waiting(() => 10)).toBe(1);
    expect(messages.waiting(() => 0)).toBe(0);
    messages.written(10, true);
    expect(messages.waiting(() => 10)).toBe(0);
  });
});
