// Reading requests and writing answers for the sign-in endpoints: bounded bodies, JSON and HTML
// answers that are never cached, and redirects.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidRequestError } from './errors.js';

/** Registration documents and forms are small; anything larger is refused before it is read. */
export const MAX_FORM_BYTES = 16 * 1024;

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export interface BodyLimit {
  bytes: number;
  tooLarge: () => Error;
  /** The body ended early (connection closed or failed). */
  cutOff: () => Error;
  /** What is done with the rest of a body over the limit: read and dropped, or the socket closed. */
  drop: 'drain' | 'destroy';
}

/** A request or response body as text, refused past `limit.bytes` (declared or streamed). */
export function readLimited(message: IncomingMessage, limit: BodyLimit): Promise<string> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      message.removeAllListeners('data');
      if (limit.drop === 'drain') message.resume();
      else message.destroy();
      reject(limit.tooLarge());
    };
    if (Number(message.headers['content-length']) > limit.bytes) {
      refuse();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit.bytes) refuse();
      else chunks.push(chunk);
    });
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // After 'end' these change nothing: the promise is settled.
    message.on('close', () => reject(limit.cutOff()));
    message.on('error', () => reject(limit.cutOff()));
  });
}

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
  res.writeHead(status, { 'content-type': 'application/json', ...NO_STORE, ...headers });
  res.end(JSON.stringify(body));
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
