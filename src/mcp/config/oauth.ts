// Sign-in settings for fay-mcp --http: FAY_MCP_PUBLIC_URL and FAY_MCP_OAUTH_SECRETS turn it on
// (both, or neither), FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS=1 is the tests' opt-in for client
// metadata documents on this machine or a private network. A bad value is refused at start, read
// with the rules of every variable (rules.ts).
import * as z from 'zod';
import { isLoopbackHost } from '../../core/internal.js';
import { flag, invalidConfiguration, list, parseVariables, text } from './rules.js';

export interface OAuthSettings {
  /** FAY_MCP_PUBLIC_URL without a trailing slash: the issuer. */
  issuer: string;
  /** `<issuer>/mcp`: the protected resource, and every token's audience. */
  resource: string;
  /** FAY_MCP_OAUTH_SECRETS: the first seals, all open. */
  secrets: string[];
  /** Test-only: client metadata documents may live on loopback or private addresses. */
  allowPrivateMetadataUrls: boolean;
}

export const MIN_SECRET_LENGTH = 32;

export type OAuthSettingsResult =
  { ok: true; settings: OAuthSettings | undefined } | { ok: false; message: string };

/** Why FAY_MCP_PUBLIC_URL cannot be used, or undefined. */
function publicUrlProblem(text: string): string | undefined {
  if (!URL.canParse(text)) {
    return 'FAY_MCP_PUBLIC_URL is not a URL: set it to the URL clients use, e.g. https://fay.example.com';
  }
  const url = new URL(text);
  const problem =
    url.protocol !== 'https:' && url.protocol !== 'http:'
      ? 'must be an https:// URL'
      : url.protocol === 'http:' && !isLoopbackHost(url.hostname)
        ? 'must be https:// (http:// only for 127.0.0.1, ::1 or localhost): clients send keys and tokens to it'
        : url.username || url.password
          ? 'must not contain credentials'
          : url.search || url.hash || text.includes('?') || text.includes('#')
            ? 'must not have a query or fragment'
            : undefined;
  return problem && `FAY_MCP_PUBLIC_URL ${problem}`;
}

/** Sign-in needs both variables: the refusal naming the missing one. */
function missingPartner(
  publicUrl: string | undefined,
  secrets: readonly string[],
): string | undefined {
  if (secrets.length === 0) {
    return (
      'FAY_MCP_PUBLIC_URL is set but FAY_MCP_OAUTH_SECRETS is not: sign-in needs both. Set ' +
      `FAY_MCP_OAUTH_SECRETS to a random secret of at least ${MIN_SECRET_LENGTH} characters ` +
      '(e.g. `openssl rand -base64 48`), the same on every replica, or unset FAY_MCP_PUBLIC_URL'
    );
  }
  if (!publicUrl) {
    return (
      'FAY_MCP_OAUTH_SECRETS is set but FAY_MCP_PUBLIC_URL is not: sign-in needs both. Set ' +
      'FAY_MCP_PUBLIC_URL to the URL clients use to reach this server (e.g. ' +
      'https://fay.example.com), or unset FAY_MCP_OAUTH_SECRETS'
    );
  }
  return undefined;
}

function secretsProblem(secrets: readonly string[]): string | undefined {
  const short = secrets.findIndex((secret) => secret.length < MIN_SECRET_LENGTH);
  if (short === -1) return undefined;
  return (
    `FAY_MCP_OAUTH_SECRETS: each comma-separated secret must be at least ${MIN_SECRET_LENGTH} ` +
    `characters${short > 0 ? ` (secret number ${short + 1} is shorter)` : ''}; generate one ` +
    'with `openssl rand -base64 48`'
  );
}

/** Sign-in's variables (a secret's value is never repeated in a refusal: rules.ts). */
const envSchema = z.object({
  FAY_MCP_PUBLIC_URL: text(),
  FAY_MCP_OAUTH_SECRETS: list,
  FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS: flag(
    'FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS',
    'tests only: fetch client metadata documents from loopback or private addresses',
  ),
});

export function loadOAuthSettings(env: NodeJS.ProcessEnv): OAuthSettingsResult {
  const parsed = parseVariables(envSchema, env);
  if (!parsed.ok) return { ok: false, message: invalidConfiguration(parsed.problems) };
  const { FAY_MCP_OAUTH_SECRETS: secrets } = parsed.data;
  const publicUrl = parsed.data.FAY_MCP_PUBLIC_URL?.trim();
  if (!publicUrl && secrets.length === 0) return { ok: true, settings: undefined };
  const problem =
    missingPartner(publicUrl, secrets) ?? publicUrlProblem(publicUrl!) ?? secretsProblem(secrets);
  if (problem) return { ok: false, message: invalidConfiguration([problem]) };
  const issuer = new URL(publicUrl!).href.replace(/\/+$/, '');
  return {
    ok: true,
    settings: {
      issuer,
      resource: `${issuer}/mcp`,
      secrets,
      allowPrivateMetadataUrls: parsed.data.FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS,
    },
  };
}
