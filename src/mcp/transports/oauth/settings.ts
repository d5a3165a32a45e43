// Sign-in settings for fay-mcp --http: FAY_MCP_PUBLIC_URL and FAY_MCP_OAUTH_SECRETS turn it on
// (both, or neither), FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS=1 is the tests' opt-in for client
// metadata documents on this machine or a private network. A bad value is refused at start.
import { isLoopbackHost } from '../../../core/internal.js';

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

function publicUrlProblem(url: URL): string | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return 'must be https:// (http:// only for 127.0.0.1, ::1 or localhost): clients send keys and tokens to it';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.search || url.hash || url.href.includes('?') || url.href.includes('#')) {
    return 'must not have a query or fragment';
  }
  return undefined;
}

export function loadOAuthSettings(env: NodeJS.ProcessEnv): OAuthSettingsResult {
  const publicUrl = env.FAY_MCP_PUBLIC_URL?.trim() ?? '';
  const secretList = env.FAY_MCP_OAUTH_SECRETS?.trim() ?? '';
  if (!publicUrl && !secretList) return { ok: true, settings: undefined };
  if (!secretList) {
    return {
      ok: false,
      message:
        'FAY_MCP_PUBLIC_URL is set but FAY_MCP_OAUTH_SECRETS is not: sign-in needs both. Set ' +
        `FAY_MCP_OAUTH_SECRETS to a random secret of at least ${MIN_SECRET_LENGTH} characters ` +
        '(e.g. `openssl rand -base64 48`), the same on every replica, or unset FAY_MCP_PUBLIC_URL.',
    };
  }
  if (!publicUrl) {
    return {
      ok: false,
      message:
        'FAY_MCP_OAUTH_SECRETS is set but FAY_MCP_PUBLIC_URL is not: sign-in needs both. Set ' +
        'FAY_MCP_PUBLIC_URL to the URL clients use to reach this server (e.g. ' +
        'https://fay.example.com), or unset FAY_MCP_OAUTH_SECRETS.',
    };
  }
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return {
      ok: false,
      message: `FAY_MCP_PUBLIC_URL is not a URL: set it to the URL clients use, e.g. https://fay.example.com.`,
    };
  }
  const problem = publicUrlProblem(url);
  if (problem) return { ok: false, message: `FAY_MCP_PUBLIC_URL ${problem}.` };
  const secrets = secretList
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);
  const short = secrets.findIndex((secret) => secret.length < MIN_SECRET_LENGTH);
  if (secrets.length === 0 || short !== -1) {
    return {
      ok: false,
      message:
        `FAY_MCP_OAUTH_SECRETS: each comma-separated secret must be at least ${MIN_SECRET_LENGTH} ` +
        `characters${short > 0 ? ` (secret number ${short + 1} is shorter)` : ''}; generate one ` +
        'with `openssl rand -base64 48`.',
    };
  }
  const allow = env.FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS?.trim() ?? '';
  if (!['', '0', '1', 'true', 'false'].includes(allow)) {
    return {
      ok: false,
      message:
        'FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS must be 1 (tests only: fetch client metadata documents from loopback or private addresses) or 0.',
    };
  }
  const issuer = url.href.replace(/\/+$/, '');
  return {
    ok: true,
    settings: {
      issuer,
      resource: `${issuer}/mcp`,
      secrets,
      allowPrivateMetadataUrls: allow === '1' || allow === 'true',
    },
  };
}
