/** Credentials at the gateway, over HTTP and WebSocket, and subgraphs that only answer the gateway. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography } from '../support/builders.js';
import { startStack, testConfig, type Stack } from '../support/stack.js';
import { gql, subscribe, token, wsClient } from '../support/client.js';
import { startGateway } from '../../gateway/server.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { signViewer } from '../../subgraphs/common/auth/internal-token.js';
import { issueDevToken } from '../../subgraphs/common/auth/dev-tokens.js';
import { sseUntilEnd, wsCloseCode } from '../support/raw.js';

const QUERY = '{ districts { code } }';

describe('authentication', () => {
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it.each([
    ['no credentials', {}, /Credentials required/],
    ['a malformed header', { headers: { authorization: 'Token abc' } }, /Bearer/],
    ['a forged token', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad' }, /Invalid token/],
    ['an unknown API key', { apiKey: 'nope' }, /Unknown API key/],
  ])('refuses %s with HTTP 401', async (_name, auth, message) => {
    const res = await gql(stack.gateway.url, QUERY, {}, auth as never);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses an expired token and a token without a valid jurisdiction', async () => {
    const expired = await token('CITY_OFFICER', { ttlSeconds: -10 });
    expect(await gql(stack.gateway.url, QUERY, {}, { token: expired })).toMatchObject({ status: 401, errors: [{ message: 'Token expired' }] });
    const noWard = await issueDevToken(testConfig, { role: 'WARD_OFFICER' });
    expect(await gql(stack.gateway.url, QUERY, {}, { token: noWard })).toMatchObject({ status: 401, errors: [{ message: 'A WARD_OFFICER token must name a valid ward' }] });
  });

  it('refuses a token the moment it expires, though the gateway accepted it (and kept its verification) before', async () => {
    const shortLived = await token('DASHBOARD', { ttlSeconds: 5 });
    const exp = JSON.parse(Buffer.from(shortLived.split('.')[1]!, 'base64url').toString()).exp as number;
    expect((await gql(stack.gateway.url, QUERY, {}, { token: shortLived })).status).toBe(200);
    expect((await gql(stack.gateway.url, QUERY, {}, { token: shortLived })).status).toBe(200);
    // Waits on the clock itself (the condition is the token's expiry), then asks again at once.
    while (Date.now() / 1000 < exp) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await gql(stack.gateway.url, QUERY, {}, { token: shortLived })).toMatchObject({ status: 401, errors: [{ message: 'Token expired' }] });
  });

  it('accepts a partner API key', async () => {
    const res = await gql(stack.gateway.url, QUERY, {}, { apiKey: 'dev-partner-key' });
    expect(res.status).toBe(200);
    expect(res.data.districts).toHaveLength(30);
  });

  it('closes a WebSocket with bad credentials (4403) and ends a subscription when its token expires (4401)', async () => {
    expect(await wsCloseCode(stack.gateway.url, { authorization: 'Bearer nonsense' })).toBe(4403);
    expect(await wsCloseCode(stack.gateway.url, {})).toBe(4403);
    const shortLived = await token('DASHBOARD', { ttlSeconds: 2 });
    const socket = new WebSocket(stack.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const code = await new Promise<number>((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${shortLived}` } })));
      socket.on('message', (raw) => {
        if (JSON.parse(String(raw)).type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { bedOccupancyChanged { bedKind } }' } }));
        }
      });
      socket.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4401);
  });

  it('ends a Server-Sent Events subscription when its token expires, with an error saying so', async () => {
    const shortLived = await token('DASHBOARD', { ttlSeconds: 2 });
    const started = Date.now();
    const events = await sseUntilEnd(stack.gateway.url, 'subscription { bedOccupancyChanged { bedKind } }', shortLived, 15_000);
    expect(Date.now() - started).toBeLessThan(8_000);
    const last = events.filter((e) => e.event === 'next').at(-1);
    expect(JSON.parse(last?.data ?? '{}')).toEqual({ errors: [{ message: 'Token expired: the subscription has ended', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(events.at(-1)?.event).toBe('complete');
  });

  it('subgraphs refuse anything that does not come from the gateway', async () => {
    const url = stack.urls.patients;
    const bare = await gql(url, '{ cityCases { active } }');
    expect(bare).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const forged = await signViewer({ subject: 'mallory', role: 'CITY_OFFICER' }, 'not-the-secret');
    expect((await gql(url, '{ cityCases { active } }', {}, { headers: { 'x-hrg-viewer': forged } })).status).toBe(401);
    const clientToken = await token('CITY_OFFICER'); // a client JWT is not a gateway signature
    expect((await gql(url, '{ cityCases { active } }', {}, { headers: { 'x-hrg-viewer': clientToken } })).status).toBe(401);
    expect(await wsCloseCode(url, { hrgViewer: forged })).toBe(4403);
    const genuine = await signViewer({ subject: 'gateway-test', role: 'CITY_OFFICER' }, testConfig.internalSecret);
    expect((await gql(url, '{ cityCases { active } }', {}, { headers: { 'x-hrg-viewer': genuine } })).status).toBe(200);
  });

  it('verifies tokens against a JWKS endpoint in production mode, and then refuses HS256 tokens', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const gateway = await startGateway({ config: { ...testConfig, jwksUrl }, subgraphUrls: stack.urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    try {
      const rs = await new SignJWT({ role: 'DASHBOARD' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('idp:user-1')
        .setIssuer(testConfig.jwtIssuer)
        .setAudience(testConfig.jwtAudience)
        .setExpirationTime('5m')
        .sign(privateKey);
      expect((await gql(gateway.url, QUERY, {}, { token: rs })).status).toBe(200);
      expect((await gql(gateway.url, QUERY, {}, { token: await token('DASHBOARD') })).status).toBe(401);
    } finally {
      await gateway.close();
      jwks.close();
    }
  });

  it('says "retry shortly" at every door when the JWKS endpoint is down: 503 over HTTP and for a report, 1013 for a socket', async () => {
    const down = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}/jwks.json`;
    const gateway = await startGateway({ config: { ...testConfig, jwksUrl }, subgraphUrls: stack.urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    // An RS256 token whose key cannot be fetched: not known to be bad, so not refused as such.
    const unverifiable = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4Iiwicm9sZSI6IkRBU0hCT0FSRCIsImV4cCI6OTk5OTk5OTk5OX0.c2ln';
    const retry = { message: 'Cannot check credentials right now: retry shortly', extensions: { code: 'SERVICE_UNAVAILABLE' } };
    try {
      const graphql = await gql(gateway.url, QUERY, {}, { token: unverifiable });
      expect({ status: graphql.status, errors: graphql.errors }).toEqual({ status: 503, errors: [retry] });
      const report = await fetch(new URL('/reports/facility-capacity.csv', gateway.url), { headers: { authorization: `Bearer ${unverifiable}` } });
      expect({ status: report.status, retryAfter: report.headers.get('retry-after'), body: await report.json() }).toEqual({ status: 503, retryAfter: '5', body: { errors: [retry] } });
      expect(await wsCloseCode(gateway.url, { authorization: `Bearer ${unverifiable}` })).toBe(1013);
    } finally {
      await gateway.close();
      down.close();
    }
  });

  it('keeps a subscription going for a valid token', async () => {
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD')}` });
    const sub = subscribe(client, 'subscription { bedOccupancyChanged { bedKind } }', {}, { servedBy: stack.subgraphs.facilities.runtime });
    await sub.ready;
    sub.close();
    await client.dispose();
  });
});
