// A request or response body read in full up to a byte limit: the one bounded reader of every
// transport (the MCP endpoint's JSON body, sign-in's forms, client metadata documents). A body over
// the limit, declared or streamed, is refused without being kept.
import type { IncomingMessage } from 'node:http';

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
    const overLimit = () => {
      message.removeAllListeners('data');
      if (limit.drop === 'drain') message.resume();
      else message.destroy();
      reject(limit.tooLarge());
    };
    if (Number(message.headers['content-length']) > limit.bytes) {
      overLimit();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit.bytes) overLimit();
      else chunks.push(chunk);
    });
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // After 'end' these change nothing: the promise is settled.
    message.on('close', () => reject(limit.cutOff()));
    message.on('error', () => reject(limit.cutOff()));
  });
}
