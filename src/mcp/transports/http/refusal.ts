// The one way a request is turned away: guards and authorization throw a Refusal, and the
// handler's single catch writes it (handler.ts).

export interface RefusalOptions {
  /** What the refusal stands for, e.g. the OAuth error of a refused access token. */
  cause?: unknown;
  /** The JSON-RPC error code of the answer (default -32000; JSON-RPC's own for its refusals). */
  code?: number;
}

/** A request refused with an HTTP status and a message worded for the caller. */
export class Refusal extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly code: number;

  constructor(
    status: number,
    message: string,
    headers: Record<string, string> = {},
    { cause, code = -32000 }: RefusalOptions = {},
  ) {
    super(message, { cause });
    this.name = 'Refusal';
    this.status = status;
    this.headers = headers;
    this.code = code;
  }
}
