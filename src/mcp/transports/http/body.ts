// A POST's JSON body, read in full before the request counts in flight: a client that sends its
// body slowly holds no slot, and the server's request timeout cuts it off (server.ts).
import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '../../config/index.js';
import { Refusal } from './refusal.js';

const PARSE_ERROR = -32700;

function tooLarge(): Refusal {
  // The rest of the body is not read: the connection closes after the answer.
  return new Refusal(
    413,
    `Payload Too Large: Request body must not exceed ${MAX_BODY_BYTES} bytes`,
    { connection: 'close' },
  );
}

/** The parsed body; a Refusal for one over MAX_BODY_BYTES (413), not JSON (400) or cut off. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) throw tooLarge();
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        req.off('data', onData);
        reject(tooLarge());
      }
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // Timed out or dropped by the client: the socket is gone, nothing is answered or logged.
    req.once('error', () => reject(new Refusal(400, 'The request body was cut off.')));
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, 'Parse error: Invalid JSON', {}, { code: PARSE_ERROR });
  }
}
