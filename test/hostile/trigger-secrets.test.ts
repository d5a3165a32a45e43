// Forged webhook signatures against the Fay Trigger's secrets (virtual time): a signature that
// matches no kept secret may mean a secret was just added, so the credential is read again, but
// an unauthenticated sender can forge as many as it likes. Those re-reads (a database query and
// a decryption each in n8n) are bounded per credential; a secret added since still works.
import type { IWebhookFunctions } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/core/index.ts';
import { SECRETS_REREAD_MIN_MS, withSecrets } from '../../src/n8n/nodes/FayTrigger/secrets.ts';
import { signedEvent, trigger } from '../n8n/support/secrets-node.ts';

const NOW_MS = 1_800_000_000_000;
const FORGED = 1_000;

const deliver = (fn: IWebhookFunctions, secret: string, nowMs: number) =>
  withSecrets(
    fn,
    (secrets) => verifyWebhook({ ...signedEvent(secret, nowMs), secrets, nowMs }),
    nowMs,
  );

describe('forged signatures', () => {
  it(`${FORGED} within a second read the credential at most twice`, async () => {
    const { fn, state } = trigger('whsec_real');
    await deliver(fn, 'whsec_real', NOW_MS);
    for (let i = 0; i < FORGED; i++) {
      await expect(deliver(fn, 'whsec_forged', NOW_MS + i)).rejects.toMatchObject({
        code: 'WEBHOOK_INVALID_SIGNATURE',
      });
    }
    expect(state.reads).toBeLessThanOrEqual(2);
  });

  it(`a secret added meanwhile works once ${SECRETS_REREAD_MIN_MS / 1000} s have passed since the last re-read`, async () => {
    const { fn, state } = trigger('whsec_old');
    await deliver(fn, 'whsec_old', NOW_MS);
    await expect(deliver(fn, 'whsec_forged', NOW_MS + 1)).rejects.toThrow();
    state.secret = 'whsec_old, whsec_new';
    const later = NOW_MS + 1 + SECRETS_REREAD_MIN_MS;
    expect((await deliver(fn, 'whsec_new', later)).type).toBe('Status');
  });
});
