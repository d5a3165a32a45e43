// fay-mcp's configuration: the server's variables (mcp.ts), the HTTP mode's (http.ts, with sign-in's
// in oauth.ts), read with the same rules (rules.ts).
export {
  DEFAULT_CALL_WINDOW_SECONDS,
  DEFAULT_MAX_ANSWER_CHARS,
  loadConfig,
  MissingApiKeyError,
  type ConfigResult,
  type McpConfig,
} from './mcp.js';
export {
  HEADERS_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  loadHttpConfig,
  MAX_BODY_BYTES,
  REQUEST_TIMEOUT_MS,
  wantsHttp,
  type HttpConfig,
  type HttpConfigResult,
} from './http.js';
export { loadOAuthSettings, MIN_SECRET_LENGTH, type OAuthSettings } from './oauth.js';
