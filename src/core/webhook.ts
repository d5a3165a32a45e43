// Fay webhook signatures: HMAC-SHA256 of the raw body, sent as 'X-Fay-Signature: sha256=<hex>'.
// Verified over the bytes as received (re-serialising parsed JSON changes them), in constant
// time, against every current secret (rotation), with a replay window on `created`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { FayValidationError, FayWebhookError } from './errors.js';
import { describeIssue, webhookEventSchema } from './schemas.js';
import type { FayWebhookEvent, VerifyWebhookArgs } from './types.js';

const PREFIX = 'sha256=';
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

function toBytes(rawBody: unknown): Buffer {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  if (rawBody instanceof Uint8Array)
    return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  throw new FayValidationError(
    'rawBody must be the request body exactly as received (a string, Buffer or Uint8Array), ' +
      'not a parsed object: re-serialised JSON does not match the signed bytes. Read the raw body ' +
      '(e.g. express.raw() or the "raw body" option of your webhook receiver).',
    { field: 'rawBody' },
  );
}

/** Returns 'sha256=<hex>' for `rawBody` under `secret`. */
export function signWebhook(rawBody: string | Uint8Array, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(toBytes(rawBody)).digest('hex');
}

/** Checks signature, freshness and shape of a Fay webhook delivery; returns the typed event. */
export function verifyWebhook(args: VerifyWebhookArgs): FayWebhookEvent {
  const { rawBody, signature, toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS } = args;
  // NaN or Infinity would silently switch the replay check off: refuse them up front.
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds <= 0) {
    throw new FayValidationError(
      'toleranceSeconds must be a finite number of seconds greater than 0: the replay window ' +
        `(default ${DEFAULT_WEBHOOK_TOLERANCE_SECONDS}).`,
      { field: 'toleranceSeconds' },
    );
  }
  const bytes = toBytes(rawBody);
  const secrets = (Array.isArray(args.secrets) ? args.secrets : [args.secrets]).filter(
    (s) => typeof s === 'string' && s.length > 0,
  );
  if (secrets.length === 0) {
    throw new FayWebhookError(
      'No webhook secret is configured: paste the signing secret shown when the webhook was ' +
        'registered in the Fay dashboard.',
      'WEBHOOK_NO_SECRET',
    );
  }
  checkSignature(bytes, signature, secrets);
  const event = parseEvent(bytes);
  const ageSeconds = ((args.nowMs ?? Date.now()) - event.created * 1000) / 1000;
  if (Math.abs(ageSeconds) > toleranceSeconds) {
    throw new FayWebhookError(
      `The webhook event ${event.id} was created ${Math.round(ageSeconds)} s ago, outside ` +
        `the ${toleranceSeconds} s tolerance: it may be a replay. If your clock is off, fix it ` +
        'or raise toleranceSeconds.',
      'WEBHOOK_STALE',
    );
  }
  return event as FayWebhookEvent;
}

/** Throws unless `signature` is sha256=<64 hex digits> of `bytes` under one of `secrets`. */
function checkSignature(bytes: Buffer, signature: unknown, secrets: string[]): void {
  const given = typeof signature === 'string' ? signature.trim() : '';
  const hex = given.toLowerCase().startsWith(PREFIX) ? given.slice(PREFIX.length) : '';
  // Exactly one SHA-256 digest: Buffer.from(hex, 'hex') would silently drop an odd last digit.
  // Hex digits are case-insensitive, so uppercase is accepted.
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new FayWebhookError(
      'The X-Fay-Signature header is missing or not of the form sha256=<64 hex digits>: the ' +
        'request did not come from Fay, or a proxy removed or altered the header.',
      'WEBHOOK_INVALID_SIGNATURE',
    );
  }
  const received = Buffer.from(hex, 'hex');
  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(bytes).digest();
    // timingSafeEqual throws on a length mismatch; a wrong length is simply no match.
    return expected.length === received.length && timingSafeEqual(expected, received);
  });
  if (!matches) {
    throw new FayWebhookError(
      'The webhook signature does not match any configured secret: check the secret (after ' +
        'rotating, list both), and verify the body exactly as received.',
      'WEBHOOK_INVALID_SIGNATURE',
    );
  }
}

/** The signed body as a Fay event; throws WEBHOOK_INVALID_EVENT when it is not one. */
function parseEvent(bytes: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new FayWebhookError(
      'The webhook body is signed but is not JSON.',
      'WEBHOOK_INVALID_EVENT',
    );
  }
  const event = webhookEventSchema.safeParse(json);
  if (!event.success) {
    throw new FayWebhookError(
      `The webhook body is not a Fay event (${describeIssue(event.error)}).`,
      'WEBHOOK_INVALID_EVENT',
    );
  }
  return event.data;
}
