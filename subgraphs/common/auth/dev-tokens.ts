/** Development tokens signed with the HS256 secret (never valid where a JWKS is configured). */
import { SignJWT } from 'jose';
import type { Config } from '../config.js';
import type { Role } from './viewer.js';

export interface TokenRequest {
  role: Role;
  ward?: string;
  district?: string;
  subject?: string;
  /** Lifetime in seconds (default 8 hours). */
  ttlSeconds?: number;
}

export async function issueDevToken(config: Config, request: TokenRequest): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    role: request.role,
    ...(request.ward ? { ward: request.ward } : {}),
    ...(request.district ? { district: request.district } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(request.subject ?? `dev:${request.role.toLowerCase()}${request.ward ? `:${request.ward}` : request.district ? `:${request.district}` : ''}`)
    .setIssuer(config.jwtIssuer)
    .setAudience(config.jwtAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.ttlSeconds ?? 8 * 3600))
    .sign(new TextEncoder().encode(config.jwtSecret));
}
