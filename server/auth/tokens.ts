/**
 * Join tokens: `<payload>.<signature>`, both base64url; the payload names the board and the
 * participant, the signature is an HMAC-SHA256 with the server's secret. A token lasts as long
 * as its board (docs/http.md#join-a-board); the role is read from the store, so it is never stale.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isId } from '../../shared/ids';

export interface TokenClaims {
  boardId: string;
  participantId: string;
}

export interface TokenSigner {
  sign(claims: TokenClaims): string;
  /** The claims of a genuine token, or null for anything else. */
  verify(token: unknown): TokenClaims | null;
}

const TOKEN_MAX_LENGTH = 512;

export function createTokenSigner(secret: Uint8Array): TokenSigner {
  const mac = (payload: string): Buffer => createHmac('sha256', secret).update(payload).digest();
  return {
    sign({ boardId, participantId }) {
      const payload = Buffer.from(JSON.stringify({ b: boardId, p: participantId })).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > TOKEN_MAX_LENGTH) return null;
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return null;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
          b?: unknown;
          p?: unknown;
        };
        if (!isId(claims.b) || !isId(claims.p)) return null;
        return { boardId: claims.b, participantId: claims.p };
      } catch {
        return null;
      }
    },
  };
}
