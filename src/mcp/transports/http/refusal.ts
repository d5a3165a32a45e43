// The one way a request is turned away: guards and authorization throw a Refusal, and the
// handler's single catch writes it (handler.ts).

/** A request refused with an HTTP status and a message worded for the caller. */
export class Refusal extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  /** `cause`: what the refusal stands for, e.g. the OAuth error of a refused access token. */
  constructor(
    status: number,
    message: string,
    headers: Record<string, string> = {},
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'Refusal';
    this.status = status;
    this.headers = headers;
  }
}
