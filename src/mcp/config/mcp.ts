// Server configuration from the environment (the MCP client's "env" block). To add a variable:
// one line in envSchema, one field in McpConfig and its value in loadConfig.
// Invalid values are refused at start; a missing API key is not: the server must still start
// and list its tools, and each call then explains how to set the key.
import * as z from 'zod';
import { DEFAULT_BASE_URL, FayValidationError } from '../../core/index.js';
import { validateBaseUrl, validateClientOptions } from '../../core/internal.js';
import {
  blankToUndefined,
  flag,
  invalidConfiguration,
  number,
  parseVariables,
  text,
  type Loaded,
} from './rules.js';

export interface McpConfig {
  apiKey: string | undefined;
  baseUrl: string;
  /** FAY_ALLOW_INSECURE_HTTP=1: an http:// FAY_BASE_URL off this machine (a trusted proxy). */
  allowInsecureHttp: boolean;
  /** How long fay_research blocks before handing the request_id back. */
  callWindowMs: number;
  /** Shared status-call budget per sliding hour (undefined: the core's default). */
  statusCallsPerHour: number | undefined;
  /**
   * FAY_MAX_ANSWER_CHARS: the most an answer's part may weigh, in weighted characters (CJK and
   * emoji count 4, see research/parts.ts); a longer answer comes in parts.
   */
  maxAnswerChars: number;
}

export const DEFAULT_CALL_WINDOW_SECONDS = 45; // under the ~60 s many clients allow a tool call

/**
 * About 18,000 tokens: with the note and the facts beside it (at most 8,000 more), a whole tool
 * result stays under 80,000 characters, about 20,000 tokens, below the 25,000 tokens Claude Code
 * accepts from a tool by default.
 */
export const DEFAULT_MAX_ANSWER_CHARS = 72_000;
/** About 1,000 tokens: smaller parts would take dozens of calls to read one report. */
const MIN_ANSWER_CHARS = 4_000;

/** Every variable of the server, stdio and HTTP alike (HTTP's own are in http.ts). */
const envSchema = z.object({
  FAY_API_KEY: z.preprocess(
    (value) => (typeof value === 'string' ? blankToUndefined(value.trim()) : value),
    z.string().optional(),
  ),
  // Checked by the core's own rule below (http/https, no credentials, query or fragment).
  FAY_BASE_URL: text(),
  FAY_ALLOW_INSECURE_HTTP: flag(
    'FAY_ALLOW_INSECURE_HTTP',
    'allow an http:// FAY_BASE_URL off this machine',
  ),
  FAY_CALL_WINDOW_SECONDS: number('FAY_CALL_WINDOW_SECONDS', {
    unit: 'seconds',
    min: 0,
    max: 3_600,
  }),
  FAY_STATUS_CALLS_PER_HOUR: number('FAY_STATUS_CALLS_PER_HOUR', { unit: 'whole', min: 1 }),
  FAY_MAX_ANSWER_CHARS: number('FAY_MAX_ANSWER_CHARS', {
    unit: 'whole',
    min: MIN_ANSWER_CHARS,
    max: 100_000_000,
    belowMin: 'a smaller part holds too little of an answer to be useful',
  }),
});

export type ConfigResult = Loaded<McpConfig>;

const ENV_NAMES: Record<string, string> = { apiKey: 'FAY_API_KEY', baseUrl: 'FAY_BASE_URL' };

const invalidEnv = (problems: string[]) =>
  invalidConfiguration(
    problems,
    'Fix the "env" entry of the fay-mcp server in your MCP client\'s configuration and restart it.',
  );

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
    return invalidEnv([
      'FAY_BASE_URL uses http:// on a host that is not this machine, so every request would ' +
        'send the API key unencrypted. Use https://, or set FAY_ALLOW_INSECURE_HTTP=1 if it is ' +
        'a trusted proxy on your own network',
    ]);
  }
  const variable = ENV_NAMES[error.field ?? ''];
  if (variable === undefined || error.problem === undefined) return invalidEnv([error.message]);
  return invalidEnv([`${variable} ${error.problem.replace(/\.$/, '')}`]);
}

/** Reads the configuration; on invalid values returns one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = parseVariables(envSchema, env);
  if (!parsed.ok) return { ok: false, message: invalidEnv(parsed.problems) };
  const values = parsed.data;
  const allowInsecureHttp = values.FAY_ALLOW_INSECURE_HTTP;
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
      maxAnswerChars: values.FAY_MAX_ANSWER_CHARS ?? DEFAULT_MAX_ANSWER_CHARS,
    },
  };
}

/** Thrown when a call needs Fay and the server was started without FAY_API_KEY. */
export class MissingApiKeyError extends Error {
  constructor() {
    super(
      'No Fay API key is configured. Add FAY_API_KEY (a key from your Fay dashboard) to the "env" ' +
        'of the fay-mcp server in your MCP client configuration, then restart the client.',
    );
    this.name = 'MissingApiKeyError';
  }
}
