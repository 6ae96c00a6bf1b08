/**
 * Who may read the dashboard and /metrics: the holder of a token, sent as a Bearer
 * header (scripts, Prometheus) or, for a browser, kept as a session cookie set by the
 * sign-in form. The cookie holds an HMAC of the token, never the token itself, so a
 * leaked cookie does not reveal what to type; every comparison is in constant time
 * (of equal-length digests), so the answer's timing says nothing of how close a guess was.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'diffwise_session';

/** What the session cookie holds for this token: changing the token signs every browser out. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('diffwise dashboard session v1').digest('hex');
}

/** Constant-time equality of two strings of any lengths (their digests are compared). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer TOKEN` header, if that is what it is. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The cookies of a Cookie header, by name (the first of a repeated name). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!cookies.has(name)) {
      try {
        cookies.set(name, decodeURIComponent(part.slice(at + 1).trim()));
      } catch {
        // a malformed escape: not a cookie of ours
      }
    }
  }
  return cookies;
}

/** Whether a request's headers carry the token, as a Bearer header or as the session cookie. */
export function isSignedIn(headers: { authorization?: string; cookie?: string }, token: string): boolean {
  const bearer = bearerToken(headers.authorization);
  if (bearer !== undefined) return sameSecret(bearer, token);
  const session = parseCookies(headers.cookie).get(SESSION_COOKIE);
  return session !== undefined && sameSecret(session, sessionValue(token));
}

/** The Set-Cookie value that signs a browser in (Secure when the page came over https). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}
