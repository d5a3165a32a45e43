// Reading requests and writing answers for the sign-in endpoints: bounded bodies, JSON and HTML
// answers that are never cached, and redirects.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readLimited } from '../read-limited.js';
import { writeJson } from '../write-json.js';
import { InvalidRequestError } from './errors.js';

/** Registration documents and forms are small; anything larger is refused before it is read. */
const MAX_FORM_BYTES = 16 * 1024;

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function readBody(req: IncomingMessage, bytes = MAX_FORM_BYTES): Promise<string> {
  return readLimited(req, {
    bytes,
    tooLarge: () => new InvalidRequestError(`The request body is larger than ${bytes} bytes.`),
    cutOff: () => new InvalidRequestError('The request body was cut off.'),
    drop: 'drain',
  });
}

/** The media type of the request, lower case, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Form fields; a field given twice is refused (RFC 6749 §3.1). */
export function formFields(body: string): Map<string, string> {
  return uniqueParams(new URLSearchParams(body));
}

export function uniqueParams(params: URLSearchParams): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of params) {
    if (fields.has(name)) throw new InvalidRequestError(`The parameter ${name} is given twice.`);
    fields.set(name, value);
  }
  return fields;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  writeJson(res, status, body, { ...NO_STORE, ...headers });
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, ...NO_STORE });
  res.end();
}

/** `uri` with `params` added to its query (RFC 6749 §4.1.2: any query it has is kept). */
export function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}
