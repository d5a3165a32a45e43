// Key redaction, the one implementation every face uses: the core for Fay's answers and transport
// failures, the n8n transport for what n8n's helper throws, the MCP server as its last guard.
import { networkErrorCode } from './retry.js';

export const REDACTED = '[redacted]';

/** Causes followed below a transport failure; deeper ones are dropped, not copied unredacted. */
const MAX_CAUSE_DEPTH = 8;

/** `text` with every occurrence of `secret` replaced (no-op without a secret). */
export function redactText(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join(REDACTED) : text;
}

function messageOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const message = (value as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  // A plain object may hold request headers: never stringify its content.
  return typeof value === 'object' && value !== null
    ? Object.prototype.toString.call(value)
    : String(value);
}

/**
 * A failure of any kind (Error, string, plain object) rebuilt as an Error that keeps only its
 * name, redacted message, Node-style network `code`, and a cause chain rebuilt the same way.
 * Host errors carry the request (headers included), so nothing else of them is kept.
 */
export function redactError(error: unknown, secret: string | undefined, depth = 0): Error {
  const safe = new Error(redactText(messageOf(error), secret));
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string') safe.name = redactText(name, secret);
  const code = networkErrorCode(error);
  if (code !== undefined) Object.assign(safe, { code });
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause !== undefined && cause !== null && depth < MAX_CAUSE_DEPTH) {
    safe.cause = redactError(cause, secret, depth + 1);
  }
  return safe;
}
