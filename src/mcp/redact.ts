// The API key must never leave the process. Every message is built without it, but as a last
// guard the stdio transport scrubs it from anything it sends, and the logger from every line.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const REDACTED = '[redacted]';

export function redactor(apiKey: string | undefined): (text: string) => string {
  return apiKey ? (text) => text.split(apiKey).join(REDACTED) : (text) => text;
}

export class RedactingStdioTransport extends StdioServerTransport {
  readonly #apiKey: string | undefined;

  constructor(apiKey: string | undefined) {
    super();
    this.#apiKey = apiKey;
  }

  override send(message: JSONRPCMessage): Promise<void> {
    if (!this.#apiKey) return super.send(message);
    // As it appears inside JSON text (escaped), which is what we search and replace.
    const needle = JSON.stringify(this.#apiKey).slice(1, -1);
    const json = JSON.stringify(message);
    if (!json.includes(needle)) return super.send(message);
    return super.send(JSON.parse(json.split(needle).join(REDACTED)) as JSONRPCMessage);
  }
}
