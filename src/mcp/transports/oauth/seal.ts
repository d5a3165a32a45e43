// Sealed tokens: the whole state of sign-in (a registered client, a consent request, a code, an
// access token, a refresh token) travels with the client, sealed with AES-256-GCM, so any replica
// holding the secrets can open it and none needs a store.
//
// Each secret yields one key per purpose (HKDF-SHA256), and the purpose is also the visible prefix,
// the additional authenticated data and a field of the payload: a token sealed for one purpose
// never opens as another. The audience (this server's resource URL) and the expiry are inside the
// authenticated payload. The first secret seals; every secret opens (rotation: "new,old").
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export type Purpose = 'client' | 'request' | 'code' | 'access' | 'refresh';

const PREFIX: Record<Purpose, string> = {
  client: 'fay-mcp.client.',
  request: 'fay-mcp.request.',
  code: 'fay-mcp.code.',
  access: 'fay-mcp.at.',
  refresh: 'fay-mcp.rt.',
};
/** Every sealed token starts with this; a bearer without it is not ours (a raw Fay key). */
export const SEALED_PREFIX = 'fay-mcp.';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = 'fay-mcp oauth seal v1';

/** Why a token did not open. The words are for the client; they never quote the token. */
export type SealFailure = 'malformed' | 'unopenable' | 'audience' | 'expired';

const REASONS: Record<SealFailure, string> = {
  malformed: 'is not one this server issued',
  unopenable: 'is not valid here (altered, or sealed with a secret this server does not hold)',
  audience: 'was issued for another server',
  expired: 'has expired',
};

export class SealError extends Error {
  readonly failure: SealFailure;
  readonly purpose: Purpose;
  /** What is wrong, to follow a subject: "is not valid here (…)", "has expired". */
  readonly reason: string;

  constructor(failure: SealFailure, purpose: Purpose) {
    super(`The ${purpose} token ${REASONS[failure]}.`);
    this.name = 'SealError';
    this.failure = failure;
    this.purpose = purpose;
    this.reason = REASONS[failure];
  }
}

/** What every sealed payload carries besides its own fields. */
interface Envelope {
  pur: Purpose;
  aud: string;
  iat: number;
  /** Epoch seconds; absent for a registered client (it lives until its secret is retired). */
  exp?: number;
}

export interface SealerOptions {
  /** At least one; the first seals, all open. */
  secrets: readonly string[];
  /** This server's resource URL: sealed in, and required on open. */
  audience: string;
  /** Epoch milliseconds; injected by tests. */
  now?: () => number;
}

export class Sealer {
  readonly #keys: ReadonlyArray<Record<Purpose, KeyObject>>;
  readonly #audience: string;
  readonly #now: () => number;

  constructor(options: SealerOptions) {
    if (options.secrets.length === 0) throw new Error('Sealer needs at least one secret');
    this.#keys = options.secrets.map((secret) => {
      // Key objects, made once: a raw key given to each cipher costs about five times as much.
      const derive = (purpose: Purpose) =>
        createSecretKey(Buffer.from(hkdfSync('sha256', secret, SALT, `fay-mcp/${purpose}`, 32)));
      return {
        client: derive('client'),
        request: derive('request'),
        code: derive('code'),
        access: derive('access'),
        refresh: derive('refresh'),
      };
    });
    this.#audience = options.audience;
    this.#now = options.now ?? Date.now;
  }

  /** Epoch seconds now, on the injected clock. */
  nowSeconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Seals `fields` for `purpose`, valid for `ttlSeconds` (undefined: no expiry). */
  seal<T extends object>(purpose: Purpose, fields: T, ttlSeconds?: number): string {
    const iat = this.nowSeconds();
    const envelope: Envelope = { pur: purpose, aud: this.#audience, iat };
    if (ttlSeconds !== undefined) envelope.exp = iat + ttlSeconds;
    const plain = Buffer.from(JSON.stringify({ ...fields, ...envelope }), 'utf8');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys[0]![purpose], iv);
    cipher.setAAD(Buffer.from(PREFIX[purpose]));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const sealed = Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]);
    return PREFIX[purpose] + sealed.toString('base64url');
  }

  /**
   * The fields sealed in `token` for `purpose`, with `iat` and `exp`; throws SealError when it is
   * not such a token, does not open with any secret, names another audience or has expired.
   */
  open<T extends object>(purpose: Purpose, token: string): T & Envelope {
    const prefix = PREFIX[purpose];
    if (!token.startsWith(prefix)) throw new SealError('malformed', purpose);
    const text = token.slice(prefix.length);
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new SealError('malformed', purpose);
    const sealed = Buffer.from(text, 'base64url');
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES + 1 || sealed[0] !== VERSION) {
      throw new SealError('malformed', purpose);
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const body = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const plain = this.#decrypt(purpose, iv, body, tag);
    if (plain === undefined) throw new SealError('unopenable', purpose);
    const payload = JSON.parse(plain.toString('utf8')) as T & Envelope;
    // Keys are per purpose already; the field is a second, independent check.
    if (payload.pur !== purpose) throw new SealError('unopenable', purpose);
    if (payload.aud !== this.#audience) throw new SealError('audience', purpose);
    if (payload.exp !== undefined && this.nowSeconds() >= payload.exp) {
      throw new SealError('expired', purpose);
    }
    return payload;
  }

  #decrypt(purpose: Purpose, iv: Buffer, body: Buffer, tag: Buffer): Buffer | undefined {
    for (const keys of this.#keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', keys[purpose], iv, {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(PREFIX[purpose]));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]);
      } catch {
        // Not sealed with this secret (or altered): try the next one.
      }
    }
    return undefined;
  }
}
