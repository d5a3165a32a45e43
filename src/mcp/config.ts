// Server configuration from the environment (the MCP client's "env" block).
// Invalid values are refused at start; a missing API key is not: the server must still start
// and list its tools, and each call then explains how to set the key.
import * as z from 'zod';
import { DEFAULT_BASE_URL, FayValidationError } from '../core/index.js';
import { validateBaseUrl, validateClientOptions } from '../core/internal.js';

export interface McpConfig {
  apiKey: string | undefined;
  baseUrl: string;
  /**
   * True when the key is the caller's own (the HTTP server without FAY_API_KEY takes each client's
   * key from its Authorization header): advice about a rejected key then points there.
   */
  keyFromClient?: boolean;
  /** FAY_ALLOW_INSECURE_HTTP=1: an http:// FAY_BASE_URL off this machine (a trusted proxy). */
  allowInsecureHttp: boolean;
  /** How long fay_research blocks before handing the request_id back. */
  callWindowMs: number;
  /** Shared status-call budget per sliding hour (undefined: the core's default). */
  statusCallsPerHour: number | undefined;
  /** Interval of progress notifications while waiting (at most 10 s apart, so clients see the call is alive). */
  heartbeatMs: number;
}

export const DEFAULT_CALL_WINDOW_SECONDS = 45; // under the ~60 s many clients allow a tool call
export const HEARTBEAT_MS = 5_000;

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const seconds = (name: string, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `${name} must be a number of seconds` })
      .refine((n) => Number.isFinite(n) && n > 0 && n <= max, {
        error: `${name} must be a number of seconds greater than 0 and at most ${max}`,
      })
      .optional(),
  );

const envSchema = z.object({
  FAY_API_KEY: z.preprocess(
    (value) => (typeof value === 'string' ? blankToUndefined(value.trim()) : value),
    z.string().optional(),
  ),
  // Checked by the core's own rule below (http/https, no credentials, query or fragment).
  FAY_BASE_URL: z.preprocess(blankToUndefined, z.string().optional()),
  FAY_ALLOW_INSECURE_HTTP: z.preprocess(
    blankToUndefined,
    z
      .enum(['1', '0', 'true', 'false'], {
        error:
          'FAY_ALLOW_INSECURE_HTTP must be 1 (allow an http:// FAY_BASE_URL off this machine) or 0',
      })
      .optional(),
  ),
  FAY_CALL_WINDOW_SECONDS: seconds('FAY_CALL_WINDOW_SECONDS', 3_600),
  FAY_STATUS_CALLS_PER_HOUR: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'FAY_STATUS_CALLS_PER_HOUR must be a whole number' })
      .int({ error: 'FAY_STATUS_CALLS_PER_HOUR must be a whole number' })
      .positive({ error: 'FAY_STATUS_CALLS_PER_HOUR must be at least 1' })
      .optional(),
  ),
});

export type ConfigResult = { ok: true; config: McpConfig } | { ok: false; message: string };

const ENV_NAMES: Record<string, string> = { apiKey: 'FAY_API_KEY', baseUrl: 'FAY_BASE_URL' };

function refusal(problems: string[]): string {
  return (
    `Invalid configuration: ${problems.join('; ')}. Fix the "env" entry of the fay-mcp server ` +
    "in your MCP client's configuration and restart it."
  );
}

/** Only the cleartext rule refuses this URL: it would pass with the opt-in. */
function refusedForCleartext(baseUrl: string): boolean {
  try {
    validateBaseUrl(baseUrl, true);
    return true;
  } catch {
    return false;
  }
}

/** The refusal for a client option the core rejected, named as its environment variable. */
function clientOptionRefusal(error: FayValidationError, baseUrl: string): string {
  if (error.field === 'baseUrl' && refusedForCleartext(baseUrl)) {
    return refusal([
      'FAY_BASE_URL uses http:// on a host that is not this machine, so every request would ' +
        'send the API key unencrypted. Use https://, or set FAY_ALLOW_INSECURE_HTTP=1 if it is ' +
        'a trusted proxy on your own network',
    ]);
  }
  const variable = ENV_NAMES[error.field ?? ''];
  if (variable === undefined || error.problem === undefined) return refusal([error.message]);
  return refusal([`${variable} ${error.problem.replace(/\.$/, '')}`]);
}

/** Reads the configuration; on invalid values returns one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      // Echo the bad value so the user can spot it (the key is never checked here).
      return `${issue.message} (got ${JSON.stringify(env[name])})`;
    });
    return { ok: false, message: refusal(problems) };
  }
  const values = parsed.data;
  const allowInsecureHttp = ['1', 'true'].includes(values.FAY_ALLOW_INSECURE_HTTP ?? '0');
  let baseUrl: string;
  try {
    // The core's own rules, so a bad key or URL is refused now rather than at the first call.
    const options = {
      apiKey: values.FAY_API_KEY,
      baseUrl: values.FAY_BASE_URL ?? DEFAULT_BASE_URL,
      allowInsecureHttp,
    };
    baseUrl = options.apiKey
      ? validateClientOptions(options).baseUrl
      : validateBaseUrl(options.baseUrl, allowInsecureHttp);
  } catch (error) {
    if (error instanceof FayValidationError) {
      return { ok: false, message: clientOptionRefusal(error, values.FAY_BASE_URL ?? '') };
    }
    throw error;
  }
  return {
    ok: true,
    config: {
      apiKey: values.FAY_API_KEY,
      baseUrl,
      allowInsecureHttp,
      callWindowMs: (values.FAY_CALL_WINDOW_SECONDS ?? DEFAULT_CALL_WINDOW_SECONDS) * 1000,
      statusCallsPerHour: values.FAY_STATUS_CALLS_PER_HOUR,
      heartbeatMs: HEARTBEAT_MS,
    },
  };
}
