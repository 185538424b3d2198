/**
 * A WebSocket connection's forwarded viewer is signed again every window; the credential is
 * checked again each time. A refused credential ends the connection; a check that could not be
 * made (the JWKS endpoint down) keeps the token in hand and tries again soon.
 */
import { describe, expect, it, jest } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionViewer } from '../../gateway/viewer-forwarding.js';
import { AuthenticationError, Authenticator, CredentialCheckUnavailable } from '../../gateway/auth.js';
import { loadConfig } from '../../subgraphs/common/config.js';
import { waitUntil } from '../support/wait.js';

describe('ConnectionViewer', () => {
  it('keeps its token and tries again when the credential could not be checked, and ends on a refusal', async () => {
    let calls = 0;
    const renew = jest.fn(async () => {
      calls += 1;
      if (calls === 1) throw new CredentialCheckUnavailable(new Error('JWKS endpoint down'));
      if (calls === 2) return 'second';
      throw new AuthenticationError('Invalid token');
    });
    const refused = jest.fn();
    const viewer = new ConnectionViewer('first', renew, 1, refused);
    // The failed check changes nothing; the retry (a quarter window later) brings a new token.
    await waitUntil(() => viewer.token === 'second', { timeoutMs: 5_000, intervalMs: 20 });
    expect(refused).not.toHaveBeenCalled();
    // At the next window the credential is refused: the connection is told, renewing stops.
    await waitUntil(() => refused.mock.calls.length === 1, { timeoutMs: 5_000, intervalMs: 20 });
    expect(viewer.token).toBe('second');
    expect(renew).toHaveBeenCalledTimes(3);
  });
});

describe('Authenticator with a JWKS endpoint', () => {
  it('says the credential could not be checked (not that it is invalid) when the key set cannot be fetched', async () => {
    const down = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    try {
      const jwksUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}/jwks.json`;
      const authenticator = new Authenticator({ ...loadConfig({ NODE_ENV: 'test' }), jwksUrl });
      const token = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4Iiwicm9sZSI6IkRBU0hCT0FSRCIsImV4cCI6OTk5OTk5OTk5OX0.c2ln';
      await expect(authenticator.verifyToken(token)).rejects.toBeInstanceOf(CredentialCheckUnavailable);
    } finally {
      down.close();
    }
  });
});
