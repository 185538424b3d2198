/** The gateway's verified-token cache: a token is verified again after 60 s, and never served past its exp. */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Authenticator, VERIFIED_TOKENS_KEPT } from '../../gateway/auth.js';
import type { Viewer } from '../../subgraphs/common/auth/viewer.js';
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

  it('keeps at most VERIFIED_TOKENS_KEPT tokens, and a full cache lets its oldest entry go first', async () => {
    const authenticator = new Authenticator(config);
    // The signature check is not what is tested here: every token string stands for a valid one.
    const verify = jest
      .spyOn(authenticator as unknown as { verifySignature(token: string): Promise<Viewer> }, 'verifySignature')
      .mockImplementation(async (token) => ({ subject: token, role: 'DASHBOARD', expiresAt: Math.floor(Date.now() / 1000) + 3_600 }));
    const cached = () => (authenticator as unknown as { verified: Map<string, unknown> }).verified;

    for (let i = 0; i < VERIFIED_TOKENS_KEPT; i++) await authenticator.verifyToken(`t${i}`);
    expect(cached().size).toBe(VERIFIED_TOKENS_KEPT);
    expect(verify).toHaveBeenCalledTimes(VERIFIED_TOKENS_KEPT);
    // Full, and every token is still served from memory, the first one included.
    expect((await authenticator.verifyToken('t0')).subject).toBe('t0');
    expect(verify).toHaveBeenCalledTimes(VERIFIED_TOKENS_KEPT);

    // One more: the oldest (t0) goes, the cache does not grow, the next oldest stays.
    await authenticator.verifyToken('fresh');
    expect(cached().size).toBe(VERIFIED_TOKENS_KEPT);
    expect(cached().has('t0')).toBe(false);
    await authenticator.verifyToken('t1');
    expect(verify).toHaveBeenCalledTimes(VERIFIED_TOKENS_KEPT + 1);
    // t0 is verified again, and in turn t1 (now the oldest) goes.
    await authenticator.verifyToken('t0');
    expect(verify).toHaveBeenCalledTimes(VERIFIED_TOKENS_KEPT + 2);
    expect(cached().has('t1')).toBe(false);
    expect(cached().size).toBe(VERIFIED_TOKENS_KEPT);
  });
});
