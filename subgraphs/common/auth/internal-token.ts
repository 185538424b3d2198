/**
 * The gateway forwards the verified viewer to subgraphs as a compact JWS signed with a secret
 * only the gateway and the subgraphs hold; a subgraph refuses any request without a valid one,
 * so nothing reaches it except through the gateway. Every token expires: with the client's own
 * credential, and at the latest at the end of the next fixed window, so a leaked token is
 * worth minutes even for an API key that never expires. Within one window the token is
 * deterministic for a given viewer (no issue time), which lets the gateway reuse one upstream
 * WebSocket per viewer.
 */
import { SignJWT, jwtVerify } from 'jose';
import { isRole, type Viewer } from './viewer.js';

export const VIEWER_HEADER = 'x-hrg-viewer';
export const VIEWER_CONNECTION_PARAM = 'hrgViewer';
const AUDIENCE = 'hrg-subgraphs';
const MAX_CACHE = 10_000;
/** Tokens live one to two windows: the rest of the current one and the whole next. */
export const VIEWER_TOKEN_WINDOW_SECONDS = 900;

/** When a token signed at `nowMs` for this viewer expires (seconds since the epoch). */
export function viewerTokenExpiry(viewer: Viewer, nowMs = Date.now(), windowSeconds = VIEWER_TOKEN_WINDOW_SECONDS): number {
  const windowEnd = (Math.floor(nowMs / 1000 / windowSeconds) + 2) * windowSeconds;
  return Math.min(viewer.expiresAt ?? windowEnd, windowEnd);
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signViewer(viewer: Viewer, secret: string, nowMs = Date.now(), windowSeconds = VIEWER_TOKEN_WINDOW_SECONDS): Promise<string> {
  const jwt = new SignJWT({
    role: viewer.role,
    ...(viewer.wardCode ? { ward: viewer.wardCode } : {}),
    ...(viewer.districtCode ? { district: viewer.districtCode } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(viewer.subject)
    .setAudience(AUDIENCE)
    .setExpirationTime(viewerTokenExpiry(viewer, nowMs, windowSeconds));
  return jwt.sign(keyOf(secret));
}

export class ViewerVerifier {
  private readonly cache = new Map<string, Viewer>();
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = keyOf(secret);
  }

  /** The viewer, or undefined when the token is missing, forged or expired. */
  async verify(token: string | undefined | null): Promise<Viewer | undefined> {
    if (!token) return undefined;
    const cached = this.cache.get(token);
    if (cached) {
      if (cached.expiresAt && cached.expiresAt * 1000 > Date.now()) return cached;
      this.cache.delete(token);
      return undefined;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { audience: AUDIENCE, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      if (!payload.sub || !isRole(payload.role) || !payload.exp) return undefined;
      const viewer: Viewer = {
        subject: payload.sub,
        role: payload.role,
        ...(typeof payload.ward === 'string' ? { wardCode: payload.ward } : {}),
        ...(typeof payload.district === 'string' ? { districtCode: payload.district } : {}),
        expiresAt: payload.exp,
      };
      if (this.cache.size >= MAX_CACHE) this.cache.clear();
      this.cache.set(token, viewer);
      return viewer;
    } catch {
      return undefined;
    }
  }
}
