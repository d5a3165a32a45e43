// verifyWebhook / signWebhook, and real signed deliveries from the local Fay server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FayValidationError,
  FayWebhookError,
  signWebhook,
  verifyWebhook,
} from '../../src/core/index.ts';
import type { FayWebhookEvent } from '../../src/core/index.ts';
import { client, server } from './helpers.ts';

const SECRET = 'whsec_current';
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const created = Math.floor(NOW / 1000);
const requestId = '123e4567-e89b-42d3-a456-426614174000';

const statusEvent = {
  id: 'evt_1',
  type: 'Status',
  created,
  data: { request_id: requestId, status: 'PROCESSING', prompt: 'q', conversation_id: null },
};

function webhookError(fn: () => unknown): FayWebhookError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FayWebhookError);
    return error as FayWebhookError;
  }
  throw new Error('expected a FayWebhookError');
}

describe('verifyWebhook', () => {
  const body = JSON.stringify(statusEvent);

  it('accepts a signed body as a string or bytes and returns the typed camelCase event', () => {
    const signature = signWebhook(body, SECRET);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    for (const rawBody of [body, Buffer.from(body), new TextEncoder().encode(body)]) {
      const event = verifyWebhook({ rawBody, signature, secrets: SECRET, nowMs: NOW });
      expect(event).toMatchObject({
        id: 'evt_1',
        type: 'Status',
        data: { requestId, status: 'PROCESSING', conversationId: null, structuredOutput: false },
      });
    }
  });

  it('types Output and Error events', () => {
    const output = JSON.stringify({
      id: 'evt_2',
      type: 'Output',
      created,
      data: {
        request_id: requestId,
        conversation_id: 'c1',
        status: 'COMPLETED',
        output: '# A',
        completed_at: null,
      },
    });
    const failed = JSON.stringify({
      id: 'evt_3',
      type: 'Error',
      created,
      data: {
        request_id: requestId,
        conversation_id: 'c1',
        status: 'FAILED',
        error_message: 'no sources',
        completed_at: null,
      },
    });
    const a = verifyWebhook({
      rawBody: output,
      signature: signWebhook(output, SECRET),
      secrets: SECRET,
      nowMs: NOW,
    });
    const b = verifyWebhook({
      rawBody: failed,
      signature: signWebhook(failed, SECRET),
      secrets: SECRET,
      nowMs: NOW,
    });
    expect(a.type === 'Output' && a.data.output).toBe('# A');
    expect(b.type === 'Error' && b.data.errorMessage).toBe('no sources');
  });

  it('accepts any of several secrets (rotation)', () => {
    const signature = signWebhook(body, 'whsec_old');
    expect(() =>
      verifyWebhook({ rawBody: body, signature, secrets: [SECRET, 'whsec_old'], nowMs: NOW }),
    ).not.toThrow();
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['no sha256= prefix', signWebhook(body, SECRET).slice(7)],
    ['a wrong secret', signWebhook(body, 'whsec_wrong')],
    ['a short signature', 'sha256=abcd'],
    ['a long signature', `${signWebhook(body, SECRET)}00`],
    ['a non-hex signature', 'sha256=zz'],
  ])('rejects %s as WEBHOOK_INVALID_SIGNATURE, without throwing anything else', (_, signature) => {
    const error = webhookError(() =>
      verifyWebhook({ rawBody: body, signature, secrets: SECRET, nowMs: NOW }),
    );
    expect(error.code).toBe('WEBHOOK_INVALID_SIGNATURE');
  });

  it('verifies the raw bytes: a re-serialised body does not match', () => {
    const signature = signWebhook(body, SECRET);
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect(
      webhookError(() =>
        verifyWebhook({ rawBody: reserialised, signature, secrets: SECRET, nowMs: NOW }),
      ).code,
    ).toBe('WEBHOOK_INVALID_SIGNATURE');
  });

  it('refuses a parsed object with an explicit error', () => {
    let error: unknown;
    try {
      verifyWebhook({
        rawBody: statusEvent as never,
        signature: signWebhook(body, SECRET),
        secrets: SECRET,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FayValidationError);
    expect(error).toMatchObject({ field: 'rawBody' });
    expect((error as Error).message).toMatch(/not a parsed object/);
  });

  it('needs a secret', () => {
    for (const secrets of ['', [], ['']]) {
      expect(
        webhookError(() =>
          verifyWebhook({ rawBody: body, signature: 'sha256=00', secrets, nowMs: NOW }),
        ).code,
      ).toBe('WEBHOOK_NO_SECRET');
    }
  });

  it('rejects events older (or newer) than the tolerance as replays', () => {
    const signature = signWebhook(body, SECRET);
    const at = (offsetS: number, toleranceSeconds?: number) => () =>
      verifyWebhook({
        rawBody: body,
        signature,
        secrets: SECRET,
        nowMs: NOW + offsetS * 1000,
        toleranceSeconds,
      });
    expect(at(300)).not.toThrow();
    expect(webhookError(at(301)).code).toBe('WEBHOOK_STALE');
    expect(webhookError(at(-301)).code).toBe('WEBHOOK_STALE');
    expect(at(3_000, 3_600)).not.toThrow();
  });

  it('refuses a toleranceSeconds that would weaken the replay check, before anything else', () => {
    const signature = signWebhook(body, SECRET);
    // A day-old event: NaN or Infinity would let it through unnoticed.
    for (const toleranceSeconds of [Number.NaN, Infinity, -1, 0, '300' as never]) {
      let error: unknown;
      try {
        verifyWebhook({
          rawBody: body,
          signature,
          secrets: SECRET,
          nowMs: NOW + 86_400_000,
          toleranceSeconds,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FayValidationError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'toleranceSeconds' });
      expect((error as Error).message).toMatch(/toleranceSeconds must be .* greater than 0/);
    }
  });

  it('rejects a signed body that is not a Fay event', () => {
    for (const raw of [
      'not json',
      JSON.stringify({ id: 'evt', type: 'Refund', created, data: {} }),
    ]) {
      const error = webhookError(() =>
        verifyWebhook({
          rawBody: raw,
          signature: signWebhook(raw, SECRET),
          secrets: SECRET,
          nowMs: NOW,
        }),
      );
      expect(error.code).toBe('WEBHOOK_INVALID_EVENT');
    }
  });
});

describe('deliveries from the local Fay server', () => {
  const receivers: http.Server[] = [];
  afterEach(() => {
    for (const r of receivers.splice(0)) {
      r.closeAllConnections();
      r.close();
    }
  });

  it('verify over the raw body, and dedupe on id', async () => {
    const events: FayWebhookEvent[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          events.push(
            verifyWebhook({
              rawBody: Buffer.concat(chunks),
              signature: req.headers['x-fay-signature'] as string | undefined,
              secrets: ['whsec_old', SECRET],
            }),
          );
          res.writeHead(200).end();
        } catch {
          res.writeHead(401).end();
        }
      });
    });
    receivers.push(receiver);
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const s = await server({ webhook: { url, secret: SECRET } });
    const result = await client(s).research({ prompt: 'webhooks' });
    const delivery = await s.waitForDelivery((d) => d.event.type === 'Output');
    expect(delivery.outcome).toBe('delivered');
    const output = events.find((e) => e.type === 'Output');
    expect(output?.data).toMatchObject({ requestId: result.requestId, status: 'COMPLETED' });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    const forged = await server({ webhook: { url, secret: 'whsec_attacker' } });
    await forged.deliverWebhook({ type: 'Status', data: statusEvent.data });
    expect(forged.deliveries[0]?.attempts.every((a) => a.result === 401)).toBe(true);
  });
});
