// The one way a request is turned away: guards and authorization throw a Refusal, and the
// handler's single catch writes it (handler.ts).

/** A request refused with an HTTP status and a message worded for the caller. */
export class Refusal extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The JSON-RPC error code of the answer (-32000 unless the refusal is JSON-RPC's own). */
  readonly code: number;

  constructor(
    status: number,
    message: string,
    headers: Record<string, string> = {},
    code = -32000,
  ) {
    super(message);
    this.name = 'Refusal';
    this.status = status;
    this.headers = headers;
    this.code = code;
  }
}
