import { createHash, timingSafeEqual } from 'node:crypto';

/** A token as a fixed-length digest, so comparing two says nothing about either through timing. */
export const tokenDigest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive, RFC 7235); null for anything else. */
export function bearerToken(header: unknown): string | null {
  const match = typeof header === 'string' ? /^Bearer +(.+)$/i.exec(header) : null;
  return match ? match[1] : null;
}

/** Whether the token matches one of the digests, compared in constant time. */
export function matchesAny(token: string, digests: readonly Buffer[]): boolean {
  const digest = tokenDigest(token);
  let match = false;
  for (const expected of digests) match = timingSafeEqual(digest, expected) || match;
  return match;
}
