// Fault injection: a queue of planned faults plus optional seeded random chaos.
import { fail, type Reply } from './reply.ts';
import { seededRandom, pick, intBetween, type Random } from './random.ts';
import { rateLimitReply } from './rate-limit.ts';
import {
  FAULT_KINDS,
  type Endpoint,
  type Fault,
  type FaultKind,
  type FayServerOptions,
} from './types.ts';

/** Faults whose request is never processed (the proxy or network fails first). */
export const BEFORE_PROCESSING: readonly FaultKind[] = [
  'drop-before',
  'http-500',
  'http-503',
  'html-502',
  'rate-limit',
];

/** Random chaos keeps slow answers short so chaos runs stay fast. */
const MAX_RANDOM_SLOW_MS = 200;

export interface ChosenFault {
  kind: FaultKind;
  delayMs?: number;
  status?: number;
}

export class FaultPlan {
  private queue: Array<Fault & { left: number }> = [];
  private readonly rate: number;
  private readonly random: Random;
  private readonly endpoints: readonly Endpoint[] | undefined;
  private readonly kinds: readonly FaultKind[];

  constructor(options: FayServerOptions) {
    this.rate = options.faultRate ?? 0;
    this.random = seededRandom(options.faultSeed ?? 1);
    this.endpoints = options.faultEndpoints;
    this.kinds = options.faultKinds ?? FAULT_KINDS;
  }

  add(fault: Fault): void {
    this.queue.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault for this answer, if any: planned faults first, then chaos. */
  next(endpoint: Endpoint): ChosenFault | undefined {
    const planned = this.queue.find(
      (f) => (f.endpoint ?? 'any') === 'any' || f.endpoint === endpoint,
    );
    if (planned) {
      planned.left -= 1;
      if (planned.left <= 0) this.queue.splice(this.queue.indexOf(planned), 1);
      return { kind: planned.kind, delayMs: planned.delayMs, status: planned.status };
    }
    if (this.rate <= 0 || (this.endpoints && !this.endpoints.includes(endpoint))) return undefined;
    if (this.random() >= this.rate) return undefined;
    const kind = pick(this.random, this.kinds);
    return kind === 'slow'
      ? { kind, delayMs: intBetween(this.random, 20, MAX_RANDOM_SLOW_MS) }
      : { kind };
  }
}

const NGINX_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

/** The answer of a fault that stops the request before processing (not drops). */
export function faultReply(
  fault: ChosenFault,
  retryAfter: NonNullable<FayServerOptions['retryAfter']>,
): Reply {
  switch (fault.kind) {
    case 'http-500':
      return fail(fault.status ?? 500, 'INTERNAL_ERROR', 'An internal server error occurred.');
    case 'http-503':
      return fail(
        fault.status ?? 503,
        'SERVICE_UNAVAILABLE',
        'The service is temporarily unavailable. Please try again later.',
      );
    case 'html-502':
      return {
        status: fault.status ?? 502,
        headers: { 'content-type': 'text/html' },
        body: NGINX_502,
      };
    case 'rate-limit': {
      const reply = rateLimitReply(fault.delayMs ?? 1000, retryAfter);
      return { ...reply, status: fault.status ?? 429 };
    }
    default:
      throw new Error(`fault ${fault.kind} has no reply of its own`);
  }
}

/** Distorts a real answer after processing: a body that is not JSON, or JSON cut short. */
export function distortReply(reply: Reply, kind: 'malformed-json' | 'truncated-json'): Reply {
  const body =
    kind === 'malformed-json'
      ? `{"status": true, "version": '1.0.24', data: ${reply.body.slice(0, 20)}`
      : reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2)));
  return { ...reply, body };
}
