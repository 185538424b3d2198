/** Every viewer token the gateway forwards expires, and subgraphs refuse one that does not. */
import { describe, expect, it } from '@jest/globals';
import { SignJWT, decodeJwt } from 'jose';
import { VIEWER_TOKEN_WINDOW_SECONDS, ViewerVerifier, signViewer } from '../../subgraphs/common/auth/internal-token.js';

const SECRET = 'unit-test-internal-secret-0000000000000000000000';
const now = () => Math.floor(Date.now() / 1000);

describe('forwarded viewer tokens', () => {
  it('refuses a correctly signed token without an expiry', async () => {
    const forever = await new SignJWT({ role: 'CITY_OFFICER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('partner:forever')
      .setAudience('hrg-subgraphs')
      .sign(new TextEncoder().encode(SECRET));
    expect(await new ViewerVerifier(SECRET).verify(forever)).toBeUndefined();
  });

  it('gives an API key viewer (no credential expiry) a bounded expiry, the same token within its window', async () => {
    const viewer = { subject: 'partner:hotline-1022', role: 'PARTNER' as const };
    const token = await signViewer(viewer, SECRET);
    const { exp } = decodeJwt(token);
    expect(exp).toBeGreaterThan(now() + VIEWER_TOKEN_WINDOW_SECONDS - 5);
    expect(exp).toBeLessThanOrEqual(now() + 2 * VIEWER_TOKEN_WINDOW_SECONDS);
    // Deterministic within the window: upstream WebSockets are shared per viewer token.
    const at = Date.now();
    const windowStart = Math.floor(at / 1000 / VIEWER_TOKEN_WINDOW_SECONDS) * VIEWER_TOKEN_WINDOW_SECONDS;
    expect(await signViewer(viewer, SECRET, windowStart * 1000 + 1_000)).toBe(await signViewer(viewer, SECRET, windowStart * 1000 + 2_000));
    expect(await new ViewerVerifier(SECRET).verify(token)).toMatchObject({ subject: 'partner:hotline-1022', role: 'PARTNER', expiresAt: exp });
  });

  it('keeps a credential’s own earlier expiry, and caps a far one to the window', async () => {
    const soon = now() + 60;
    expect(decodeJwt(await signViewer({ subject: 'u', role: 'DASHBOARD', expiresAt: soon }, SECRET)).exp).toBe(soon);
    const farAway = now() + 365 * 86_400;
    expect(decodeJwt(await signViewer({ subject: 'u', role: 'DASHBOARD', expiresAt: farAway }, SECRET)).exp).toBeLessThanOrEqual(now() + 2 * VIEWER_TOKEN_WINDOW_SECONDS);
  });
});
