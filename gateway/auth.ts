/**
 * Authentication at the gateway: a JWT in `Authorization: Bearer …` (HS256 with a shared secret
 * in development, a JWKS endpoint in production) or a partner API key in `X-API-Key`. Over
 * graphql-ws the same credentials come in `connectionParams` (`authorization` / `apiKey`).
 * Every accepted credential becomes a Viewer; anything else is refused.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../subgraphs/common/config.js';
import { findDistrict, findWard } from '../subgraphs/common/admin-units.js';
import { isRole, type Viewer } from '../subgraphs/common/auth/viewer.js';

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export interface Credentials {
  authorization?: string | null;
  apiKey?: string | null;
}

/** jose's codes for a key set it could not fetch or read (a network error has no code). */
const UNVERIFIABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/** The credential could not be checked just now (the JWKS endpoint down or slow); not a refusal. */
export class CredentialCheckUnavailable extends Error {
  constructor(cause: unknown) {
    super('Cannot check credentials right now: retry shortly', { cause });
  }
}

export class Authenticator {
  /**
   * The HS256 secret as a WebCrypto key, imported once: handed the raw bytes, jose imports a key
   * on every verification (`importKey` was a third of the verification's time in the profile).
   */
  private readonly hsKey: Promise<CryptoKey>;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(private readonly config: Config) {
    this.hsKey = crypto.subtle.importKey('raw', new TextEncoder().encode(config.jwtSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    this.jwks = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : undefined;
  }

  async authenticate(credentials: Credentials): Promise<Viewer> {
    if (credentials.apiKey) {
      const partner = this.config.apiKeys.get(credentials.apiKey);
      if (!partner) throw new AuthenticationError('Unknown API key');
      return { subject: `partner:${partner}`, role: 'PARTNER' };
    }
    const header = credentials.authorization?.trim();
    if (!header) throw new AuthenticationError('Credentials required: send Authorization: Bearer <token> or X-API-Key');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AuthenticationError('Authorization must be "Bearer <token>"');
    return this.verifyToken(match[1]!);
  }

  /**
   * Tokens already verified, by their exact text: a dashboard sends the same token with every
   * request, and verifying its signature again was 3 % of the gateway's CPU per CapacityBoard.
   * An entry serves until the token expires or for VERIFIED_TOKEN_SECONDS, whichever is first: a
   * key withdrawn from the JWKS stops its tokens within that time, not at once. The viewer is
   * frozen, as every request shares it.
   */
  private readonly verified = new Map<string, { viewer: Viewer; until: number }>();

  async verifyToken(token: string): Promise<Viewer> {
    const now = Date.now() / 1000;
    const known = this.verified.get(token);
    if (known && now < known.until) return known.viewer;
    if (known) this.verified.delete(token);
    const viewer = Object.freeze(await this.verifySignature(token));
    // Full: the oldest entry goes (a Map keeps insertion order), so a flood of fresh tokens
    // cannot make every client's token be verified again at once.
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { viewer, until: Math.min(viewer.expiresAt ?? now, now + VERIFIED_TOKEN_SECONDS) });
    return viewer;
  }

  private async verifySignature(token: string): Promise<Viewer> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.jwtIssuer, audience: this.config.jwtAudience, requiredClaims: ['exp', 'sub'] };
      ({ payload } = this.jwks
        ? await jwtVerify(token, this.jwks, { ...options, algorithms: ['RS256', 'ES256', 'EdDSA'] })
        : await jwtVerify(token, await this.hsKey, { ...options, algorithms: ['HS256'] }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      // The key set could not be fetched (down, slow, not JSON): the token is not known to be bad.
      if (this.jwks && (code === undefined || UNVERIFIABLE.has(code))) throw new CredentialCheckUnavailable(error);
      throw new AuthenticationError(code === 'ERR_JWT_EXPIRED' ? 'Token expired' : 'Invalid token');
    }
    return viewerFromClaims(payload);
  }
}

/** How long a verified token is trusted without checking its signature again. */
const VERIFIED_TOKEN_SECONDS = 60;
/** Verified tokens kept at most; past this the oldest goes first (a flood of fresh tokens cannot grow it). */
export const VERIFIED_TOKENS_KEPT = 50_000;

export function viewerFromClaims(payload: JWTPayload): Viewer {
  const role = payload.role;
  if (!isRole(role)) throw new AuthenticationError('Token has no valid role');
  const viewer: Viewer = { subject: payload.sub!, role, expiresAt: payload.exp };
  if (role === 'WARD_OFFICER') {
    if (typeof payload.ward !== 'string' || !findWard(payload.ward)) throw new AuthenticationError('A WARD_OFFICER token must name a valid ward');
    viewer.wardCode = payload.ward;
    viewer.districtCode = findWard(payload.ward)!.districtCode;
  }
  if (role === 'DISTRICT_OFFICER' || role === 'VACCINATOR') {
    if (typeof payload.district !== 'string' || !findDistrict(payload.district)) {
      throw new AuthenticationError(`A ${role} token must name a valid district`);
    }
    viewer.districtCode = payload.district;
  }
  return viewer;
}

/** How a request whose credentials were not accepted is answered, the same at every door. */
export interface CredentialRefusal {
  status: 401 | 429 | 500 | 503;
  code: string;
  message: string;
  headers: Record<string, string>;
}

/** The refusal of a client over its rate (per subject, or per address for refused credentials). */
export function rateLimited(wait: number): CredentialRefusal {
  return { status: 429, code: 'RATE_LIMITED', message: `Too many requests: retry in ${wait} s`, headers: { 'retry-after': String(wait) } };
}

/**
 * The answer to a failed authentication, for /graphql, the report downloads and WebSocket
 * connections alike:
 * - credentials refused: 401, or 429 once their address has been refused too often (a refusal
 *   costs a signature check too, and there is no subject to count it against);
 * - credentials that could not be checked (the JWKS endpoint down or slow): 503, retry shortly,
 *   since the credential is not known to be bad;
 * - anything else: 500, logged.
 */
export async function credentialRefusal(
  error: unknown,
  address: string | undefined,
  deps: { rateLimit(key: string): Promise<number>; log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void } },
): Promise<CredentialRefusal> {
  if (error instanceof AuthenticationError) {
    const wait = await deps.rateLimit(`unauthenticated:${address ?? ''}`).catch(() => 0);
    if (wait > 0) return rateLimited(wait);
    return { status: 401, code: 'UNAUTHENTICATED', message: error.message, headers: { 'www-authenticate': 'Bearer' } };
  }
  if (error instanceof CredentialCheckUnavailable) {
    deps.log.warn({ err: error.cause }, 'credentials could not be checked');
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: error.message, headers: { 'retry-after': '5' } };
  }
  deps.log.error({ err: error }, 'authentication failed unexpectedly');
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', headers: {} };
}

/**
 * The WebSocket close code for each refusal: graphql-ws's 4403 Forbidden and 4500 Internal
 * Server Error, and RFC 6455's 1013 Try Again Later for a refusal that passes (over the rate,
 * credentials not checkable just now). Not 4429: graphql-ws's client takes that for "too many
 * initialisation requests" and gives up for good, where it retries after 1013.
 */
export const REFUSAL_CLOSE_CODE: Record<CredentialRefusal['status'], number> = { 401: 4403, 429: 1013, 503: 1013, 500: 4500 };
