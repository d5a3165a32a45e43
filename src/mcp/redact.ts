// The API key must never leave the process. Every message is built without it, but as a last
// guard the stdio transport scrubs it from anything it sends, and the logger from every line.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const REDACTED = '[redacted]';

export function redactor(apiKey: string | undefined): (text: string) => string {
  return apiKey ? (text) => text.split(apiKey).join(REDACTED) : (text) => text;
}

/** `message` with the key scrubbed out (the same object when it does not contain it). */
export function redactMessage(message: JSONRPCMessage, apiKey: string | undefined): JSONRPCMessage {
  if (!apiKey) return message;
  // As it appears inside JSON text (escaped), which is what we search and replace.
  const needle = JSON.stringify(apiKey).slice(1, -1);
  const json = JSON.stringify(message);
  if (!json.includes(needle)) return message;
  return JSON.parse(json.split(needle).join(REDACTED)) as JSONRPCMessage;
}

export class RedactingStdioTransport extends StdioServerTransport {
  readonly #apiKey: string | undefined;

  constructor(apiKey: string | undefined) {
    super();
    this.#apiKey = apiKey;
  }

  override send(message: JSONRPCMessage): Promise<void> {
    return super.send(redactMessage(message, this.#apiKey));
  }
}
