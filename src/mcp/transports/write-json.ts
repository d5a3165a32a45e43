// The one way a transport writes a JSON answer: the MCP endpoint's refusals and /healthz, and
// sign-in's documents and errors (oauth/respond.ts adds its no-store headers).
import type { ServerResponse } from 'node:http';

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
