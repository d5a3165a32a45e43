// A POST's JSON body, read in full before the request counts in flight: a client that sends its
// body slowly holds no slot, and the server's request timeout cuts it off (server.ts).
import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '../../config/index.js';
import { readLimited } from '../read-limited.js';
import { Refusal } from './refusal.js';

const PARSE_ERROR = -32700;

function tooLarge(): Refusal {
  // The rest of the body is dropped as it comes, and the connection closes after the answer.
  return new Refusal(
    413,
    `Payload Too Large: Request body must not exceed ${MAX_BODY_BYTES} bytes`,
    { connection: 'close' },
  );
}

/** The parsed body; a Refusal for one over MAX_BODY_BYTES (413), not JSON (400) or cut off. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readLimited(req, {
    bytes: MAX_BODY_BYTES,
    tooLarge,
    // Timed out or dropped by the client: the socket is gone, nothing is answered or logged.
    cutOff: () => new Refusal(400, 'The request body was cut off.'),
    drop: 'drain',
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, 'Parse error: Invalid JSON', {}, { code: PARSE_ERROR });
  }
}
