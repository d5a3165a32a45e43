// Answers as plain data, so faults can distort them before they reach the socket.
export const API_VERSION = '1.0.24';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(value),
  };
}

export function ok(data: unknown): Reply {
  return json(200, { status: true, version: API_VERSION, data });
}

export function fail(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return json(status, { status: false, version: API_VERSION, error: { message, code } }, headers);
}
