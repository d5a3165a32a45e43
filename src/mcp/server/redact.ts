// The API key must never leave the process. Every message is built without it, but as a last
// guard both transports scrub it from every string VALUE they send (never from keys, method
// names or structure, which would corrupt the protocol), and the logger from every line.
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { redactText } from '../../core/internal.js';

export function redactor(apiKey: string | undefined): (text: string) => string {
  return (text) => redactText(text, apiKey);
}

/** `value` with the key redacted from its strings; the same object when nothing held the key. */
function redactValues<T>(value: T, apiKey: string): T {
  if (typeof value === 'string') return redactText(value, apiKey) as T;
  if (typeof value !== 'object' || value === null) return value;
  let changed = false;
  const copy = (Array.isArray(value) ? [] : {}) as Record<string, unknown>;
  for (const [name, item] of Object.entries(value)) {
    const redacted = redactValues(item, apiKey);
    changed ||= redacted !== item;
    copy[name] = redacted;
  }
  return changed ? (copy as T) : value;
}

/**
 * `message` with the key redacted from its payload's strings (the same object when none held it).
 * The protocol's own names are kept whatever the key: `jsonrpc` and `method` are never touched.
 */
export function redactMessage(message: JSONRPCMessage, apiKey: string | undefined): JSONRPCMessage {
  if (!apiKey) return message;
  const redacted = redactValues(message, apiKey);
  if (redacted === message) return message;
  const { jsonrpc } = message;
  const method = 'method' in message ? { method: message.method } : {};
  return { ...redacted, jsonrpc, ...method } as JSONRPCMessage;
}
