// The Fay Trigger reads its credential's webhook secrets once per SECRETS_MAX_AGE_MS while it
// verifies events: a secret added since works at once, a removed one stops within the max age,
// and a refusal that no secret could change reads nothing.
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/core/index.ts';
import {
  SECRETS_MAX_AGE_MS,
  credentialsKept,
  withSecrets,
} from '../../src/n8n/nodes/FayTrigger/secrets.ts';
import { signedEvent, trigger } from './support/secrets-node.ts';

const NOW_MS = 1_800_000_000_000;

const signed = (secret: string, createdMs = NOW_MS) => signedEvent(secret, createdMs);

const verifyAt = (event: ReturnType<typeof signed>, nowMs: number) => (secrets: string[]) =>
  verifyWebhook({ ...event, secrets, nowMs });

describe('Fay Trigger webhook secrets', () => {
  it('reads the credential once for the deliveries of a burst', async () => {
    const { fn, state } = trigger('whsec_a');
    for (let i = 0; i < 5; i++) {
      await withSecrets(fn, verifyAt(signed('whsec_a'), NOW_MS), NOW_MS + i);
    }
    expect(state.reads).toBe(1);
  });

  it('accepts a secret added to the credential at once', async () => {
    const { fn, state } = trigger('whsec_old');
    await withSecrets(fn, verifyAt(signed('whsec_old'), NOW_MS), NOW_MS);
    state.secret = 'whsec_old, whsec_new';
    const event = await withSecrets(fn, verifyAt(signed('whsec_new'), NOW_MS), NOW_MS + 1);
    expect(event.type).toBe('Status');
    expect(state.reads).toBe(2);
  });

  it(`refuses a removed secret once ${SECRETS_MAX_AGE_MS / 1000} s have passed`, async () => {
    const { fn, state } = trigger('whsec_old, whsec_new');
    await withSecrets(fn, verifyAt(signed('whsec_old'), NOW_MS), NOW_MS);
    state.secret = 'whsec_new';
    const later = NOW_MS + SECRETS_MAX_AGE_MS;
    await expect(
      withSecrets(fn, verifyAt(signed('whsec_old', later), later), later),
    ).rejects.toMatchObject({ code: 'WEBHOOK_INVALID_SIGNATURE' });
  });

  it('reads nothing again for a refusal no secret could change (a stale event)', async () => {
    const { fn, state } = trigger('whsec_a');
    await withSecrets(fn, verifyAt(signed('whsec_a'), NOW_MS), NOW_MS);
    const stale = signed('whsec_a', NOW_MS - 3_600_000);
    await expect(withSecrets(fn, verifyAt(stale, NOW_MS), NOW_MS + 1)).rejects.toMatchObject({
      code: 'WEBHOOK_STALE',
    });
    expect(state.reads).toBe(1);
  });
});

describe('Fay Trigger webhook secrets kept in memory', () => {
  it('forgets a credential whose secrets are past their max age at the next lookup', async () => {
    const first = trigger('whsec_gone');
    const second = trigger('whsec_b');
    await withSecrets(first.fn, verifyAt(signed('whsec_gone'), NOW_MS), NOW_MS);
    const firstId = first.fn.getNode().credentials!.fayApi!.id!;
    expect(credentialsKept()).toContain(firstId);
    const later = NOW_MS + SECRETS_MAX_AGE_MS;
    await withSecrets(second.fn, verifyAt(signed('whsec_b', later), later), later);
    expect(credentialsKept()).not.toContain(firstId);
    expect(credentialsKept()).toContain(second.fn.getNode().credentials!.fayApi!.id!);
  });
});
