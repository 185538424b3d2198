/** The gateway's verified-token cache: a token is verified again after 60 s, and never served past its exp. */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Authenticator } from '../../gateway/auth.js';
import { loadConfig } from '../../subgraphs/common/config.js';
import { issueDevToken } from '../../subgraphs/common/auth/dev-tokens.js';

const config = loadConfig({ NODE_ENV: 'test' });

describe('verified tokens', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('serves a verified token from memory for at most 60 s, then checks its signature again', async () => {
    const authenticator = new Authenticator(config);
    const verify = jest.spyOn(authenticator as unknown as { verifySignature(token: string): Promise<unknown> }, 'verifySignature');
    const token = await issueDevToken(config, { role: 'DASHBOARD', ttlSeconds: 3_600 });
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now');

    clock.mockReturnValue(start);
    const first = await authenticator.verifyToken(token);
    clock.mockReturnValue(start + 59_000);
    expect(await authenticator.verifyToken(token)).toBe(first);
    expect(verify).toHaveBeenCalledTimes(1);

    clock.mockReturnValue(start + 61_000);
    expect(await authenticator.verifyToken(token)).toEqual(first);
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
