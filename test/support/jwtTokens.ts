// Signs end-user JWTs the way an identity provider would, for the auth tests (jose). The defaults match
// JWT_ENV, so `signToken({ sub, scope })` is a valid token for an app started with that environment.
import { SignJWT, type JWTPayload, type CryptoKey, type KeyObject } from "jose";

export const JWT_SECRET = "test-jwt-secret-0123456789-abcdefghijklmnop";
export const JWT_ISSUER = "https://issuer.test/";
export const JWT_AUDIENCE = "orders-subgraph";

/** The environment that turns HS256 verification on with the values above. */
export const JWT_ENV: Record<string, string> = {
  AUTH_JWT_SECRET: JWT_SECRET,
  AUTH_ISSUER: JWT_ISSUER,
  AUTH_AUDIENCE: JWT_AUDIENCE,
};

export interface TokenOptions {
  claims?: JWTPayload;
  issuer?: string;
  audience?: string;
  /** jose time span ("1h") or epoch seconds; in the past for an expired token. */
  expiresAt?: string | number;
  alg?: string;
  kid?: string;
  key?: Uint8Array | CryptoKey | KeyObject;
}

export async function signToken(options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? "HS256", ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuedAt()
    .setIssuer(options.issuer ?? JWT_ISSUER)
    .setAudience(options.audience ?? JWT_AUDIENCE)
    .setExpirationTime(options.expiresAt ?? "10m");
  return jwt.sign(options.key ?? new TextEncoder().encode(JWT_SECRET));
}

/** A token for `sub` with `scope` (space-separated, as in OAuth). */
export function tokenFor(sub: string, scope: string): Promise<string> {
  return signToken({ claims: { sub, scope } });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
