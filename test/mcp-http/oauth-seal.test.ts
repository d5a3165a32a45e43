// Sealed tokens refused: altered, sealed with another secret, issued for another public URL,
// expired, or presented for another purpose; and rotation: "new,old" opens what "old" sealed.
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { createOAuth } from '../../src/mcp/transports/oauth/router.ts';
import { Sealer, SealError } from '../../src/mcp/transports/oauth/seal.ts';
import { OTHER_SECRET, SECRET, settingsFor } from './oauth-harness.ts';

const AUDIENCE = 'https://fay.example.com/mcp';
const KEY = 'fay_sealed_key_Zr81xQ';

function sealer(secrets: string[] = [SECRET], audience = AUDIENCE, now = () => 1_800_000_000_000) {
  return new Sealer({ secrets, audience, now });
}

function failure(open: () => unknown): string | undefined {
  try {
    open();
    return undefined;
  } catch (error) {
    if (error instanceof SealError) return error.failure;
    throw error;
  }
}

describe('sealed tokens', () => {
  it('open to what was sealed, and hide it: neither the key nor its base64 is in the token', () => {
    const token = sealer().seal('access', { key: KEY, client_id: 'c' }, 3600);
    expect(sealer().open<{ key: string }>('access', token).key).toBe(KEY);
    expect(token).not.toContain(KEY);
    expect(Buffer.from(token.split('.').pop()!, 'base64url').toString('latin1')).not.toContain(KEY);
  });

  it('refuse a tampered token', () => {
    const token = sealer().seal('access', { key: KEY }, 3600);
    const body = Buffer.from(token.slice('fay-mcp.at.'.length), 'base64url');
    for (const index of [1, 20, body.length - 1]) {
      const altered = Buffer.from(body);
      altered[index]! ^= 0x01;
      expect(
        failure(() => sealer().open('access', `fay-mcp.at.${altered.toString('base64url')}`)),
      ).toBe('unopenable');
    }
    expect(failure(() => sealer().open('access', `${token}A`))).not.toBeUndefined();
    expect(failure(() => sealer().open('access', 'fay-mcp.at.'))).toBe('malformed');
  });

  it('refuse a token sealed with another secret', () => {
    const token = sealer([OTHER_SECRET]).seal('access', { key: KEY }, 3600);
    expect(failure(() => sealer().open('access', token))).toBe('unopenable');
  });

  it('refuse a token issued for another public URL, even under the same secret', () => {
    const token = sealer([SECRET], 'https://other.example.com/mcp').seal(
      'access',
      { key: KEY },
      3600,
    );
    expect(failure(() => sealer().open('access', token))).toBe('audience');
  });

  it('refuse an expired token (clock injected), and open it one second before', () => {
    const clock = { now: 1_800_000_000_000 };
    const sealing = sealer([SECRET], AUDIENCE, () => clock.now);
    const token = sealing.seal('access', { key: KEY }, 3600);
    clock.now += 3599_000;
    expect(failure(() => sealing.open('access', token))).toBeUndefined();
    clock.now += 1_000;
    expect(failure(() => sealing.open('access', token))).toBe('expired');
  });

  it('never open a token as another purpose, even with its prefix swapped', () => {
    const refresh = sealer().seal('refresh', { key: KEY }, 3600);
    expect(failure(() => sealer().open('access', refresh))).toBe('malformed');
    const relabelled = refresh.replace('fay-mcp.rt.', 'fay-mcp.at.');
    expect(failure(() => sealer().open('access', relabelled))).toBe('unopenable');
  });

  it('rotation: new,old opens what old sealed; new seals what old cannot open', () => {
    const old = sealer([OTHER_SECRET]).seal('refresh', { key: KEY }, 3600);
    const rotated = sealer([SECRET, OTHER_SECRET]);
    expect(rotated.open<{ key: string }>('refresh', old).key).toBe(KEY);
    const fresh = rotated.seal('refresh', { key: KEY }, 3600);
    expect(failure(() => sealer([OTHER_SECRET]).open('refresh', fresh))).toBe('unopenable');
    expect(failure(() => sealer([SECRET]).open('refresh', old))).toBe('unopenable');
  });
});

describe('access tokens at /mcp', () => {
  const check = async () => ({ ok: true as const });
  const here = createOAuth({ settings: settingsFor('https://fay.example.com'), checkKey: check });

  it('a token for another public URL is refused with invalid_token', () => {
    const there = createOAuth({
      settings: settingsFor('https://other.example.com'),
      checkKey: check,
    });
    const token = new Sealer({ secrets: [SECRET], audience: 'https://other.example.com/mcp' }).seal(
      'access',
      { key: KEY, client_id: 'c' },
      3600,
    );
    expect(there.verifyAccessToken(token).key).toBe(KEY);
    expect(() => here.verifyAccessToken(token)).toThrow(InvalidTokenError);
    expect(() => here.verifyAccessToken(token)).toThrow('issued for another server');
  });

  it('a server holding new,old accepts an access token sealed with old', () => {
    const token = new Sealer({
      secrets: [OTHER_SECRET],
      audience: 'https://fay.example.com/mcp',
    }).seal('access', { key: KEY, client_id: 'c' }, 3600);
    const rotated = createOAuth({
      settings: settingsFor('https://fay.example.com', { secrets: [SECRET, OTHER_SECRET] }),
      checkKey: check,
    });
    expect(rotated.verifyAccessToken(token).key).toBe(KEY);
    expect(() => here.verifyAccessToken(token)).toThrow(InvalidTokenError);
  });

  it('the 401 challenge names the resource metadata and, when there is one, the error', () => {
    expect(here.challenge()).toBe(
      'Bearer resource_metadata="https://fay.example.com/.well-known/oauth-protected-resource/mcp"',
    );
    expect(here.challenge(new InvalidTokenError('The access token has expired.'))).toBe(
      'Bearer error="invalid_token", error_description="The access token has expired.", ' +
        'resource_metadata="https://fay.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });
});
