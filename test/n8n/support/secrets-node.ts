// A Fay Trigger's view of its credential for the secrets tests: a node whose credential holds a
// webhook secret the test can change, counting how often the credential is read; and events
// signed with a secret.
import { randomUUID } from 'node:crypto';
import type { IWebhookFunctions } from 'n8n-workflow';
import { signWebhook } from '../../../src/core/index.ts';

/** A node whose credential holds `secret` (changeable), counting the credential's reads. */
export function trigger(secret: string) {
  const state = { secret, reads: 0 };
  const id = randomUUID();
  const fn = {
    getNode: () => ({ credentials: { fayApi: { id, name: 'Fay' } } }),
    getCredentials: async () => {
      state.reads += 1;
      return { webhookSecret: state.secret };
    },
  } as unknown as IWebhookFunctions;
  return { fn, state };
}

/** A Status event created at `createdMs`, signed with `secret`. */
export function signedEvent(secret: string, createdMs: number) {
  const id = randomUUID();
  const body = JSON.stringify({
    id: `evt_${id}`,
    type: 'Status',
    created: Math.floor(createdMs / 1000),
    data: { request_id: id, status: 'PROCESSING' },
  });
  return { rawBody: Buffer.from(body), signature: signWebhook(body, secret) };
}
