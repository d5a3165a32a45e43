// Turning sign-in on: FAY_MCP_PUBLIC_URL and FAY_MCP_OAUTH_SECRETS together, or neither; each bad
// value refused at start with one message that says what to set (and never repeats a secret).
import { describe, expect, it } from 'vitest';
import { loadHttpConfig } from '../../src/mcp/config/index.ts';
import { BIN } from '../support/mcp.ts';
import { spawnSync } from 'node:child_process';
import { SECRET } from './oauth-harness.ts';

const load = (env: Record<string, string>, apiKey?: string) =>
  loadHttpConfig(['--http'], env, apiKey);

function refusal(env: Record<string, string>, apiKey?: string): string {
  const loaded = load(env, apiKey);
  if (loaded.ok) throw new Error('accepted');
  return loaded.message;
}

describe('sign-in settings', () => {
  it('off without either variable', () => {
    const loaded = load({});
    expect(loaded.ok && loaded.config.oauth).toBeUndefined();
  });

  it('on with both: issuer without a trailing slash, resource at /mcp, secrets in order', () => {
    const loaded = load({
      FAY_MCP_PUBLIC_URL: 'https://fay.example.com/team/',
      FAY_MCP_OAUTH_SECRETS: `${SECRET}, ${SECRET}x`,
    });
    expect(loaded.ok && loaded.config.oauth).toEqual({
      issuer: 'https://fay.example.com/team',
      resource: 'https://fay.example.com/team/mcp',
      secrets: [SECRET, `${SECRET}x`],
      allowPrivateMetadataUrls: false,
    });
  });

  it('one without the other is refused, naming the other', () => {
    expect(refusal({ FAY_MCP_PUBLIC_URL: 'https://fay.example.com' })).toMatch(
      /^Invalid configuration: FAY_MCP_PUBLIC_URL is set but FAY_MCP_OAUTH_SECRETS is not/,
    );
    expect(refusal({ FAY_MCP_OAUTH_SECRETS: SECRET })).toMatch(
      /^Invalid configuration: FAY_MCP_OAUTH_SECRETS is set but FAY_MCP_PUBLIC_URL is not/,
    );
  });

  it('refuses a short secret without repeating it', () => {
    const message = refusal({
      FAY_MCP_PUBLIC_URL: 'https://fay.example.com',
      FAY_MCP_OAUTH_SECRETS: `${SECRET},short-secret-value`,
    });
    expect(message).toContain('at least 32 characters (secret number 2 is shorter)');
    expect(message).not.toContain('short-secret-value');
  });

  it('refuses a public URL that is http:// off loopback, has a query, or is no URL', () => {
    for (const [url, why] of [
      ['http://fay.example.com', 'must be https://'],
      ['https://fay.example.com/?x=1', 'must not have a query or fragment'],
      ['fay.example.com', 'is not a URL'],
    ]) {
      expect(refusal({ FAY_MCP_PUBLIC_URL: url!, FAY_MCP_OAUTH_SECRETS: SECRET })).toContain(why);
    }
    expect(
      load({ FAY_MCP_PUBLIC_URL: 'http://127.0.0.1:8080', FAY_MCP_OAUTH_SECRETS: SECRET }).ok,
    ).toBe(true);
  });

  it('reads its variables with the common rules: blank is unset, a bad switch is named', () => {
    expect(load({ FAY_MCP_PUBLIC_URL: ' ', FAY_MCP_OAUTH_SECRETS: '' }).ok).toBe(true);
    expect(
      refusal({
        FAY_MCP_PUBLIC_URL: 'https://fay.example.com',
        FAY_MCP_OAUTH_SECRETS: SECRET,
        FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS: 'yes',
      }),
    ).toBe(
      'Invalid configuration: FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS must be 1 (tests only: ' +
        'fetch client metadata documents from loopback or private addresses) or 0 (got "yes").',
    );
  });

  it('refuses sign-in together with a server-held FAY_API_KEY', () => {
    expect(
      refusal(
        {
          FAY_MCP_PUBLIC_URL: 'https://fay.example.com',
          FAY_MCP_OAUTH_SECRETS: SECRET,
          FAY_MCP_TOKEN: 'team-token-1',
        },
        'fay_server_key_123',
      ),
    ).toMatch(/does not go with FAY_API_KEY/);
  });

  it('the process stops at start with that message', () => {
    const run = spawnSync(process.execPath, [BIN, '--http', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', FAY_MCP_OAUTH_SECRETS: SECRET },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('FAY_MCP_OAUTH_SECRETS is set but FAY_MCP_PUBLIC_URL is not');
    expect(run.stderr).not.toContain(SECRET);
  });
});
