// The credential's webhook secrets, as the trigger verifies events with them. n8n decrypts a
// credential on each read (a database query, a decryption and an expression sandbox), which in a
// burst of deliveries costs more than everything else the trigger does; so this process keeps
// what it read for a short while. A new secret works at once: a signature that matches none of
// the kept secrets reads the credential again before it is refused. A removed secret stops
// working within SECRETS_MAX_AGE_MS.
import type {
  ICredentialDataDecryptedObject,
  IHookFunctions,
  IWebhookFunctions,
} from 'n8n-workflow';
import { FayError } from '../../../core/portable.js';

export const CREDENTIAL_TYPE = 'fayApi';
export const SECRETS_MAX_AGE_MS = 60_000;

/** Refusals that a secret added since the last read could turn into an acceptance. */
const SECRET_REFUSALS = new Set(['WEBHOOK_INVALID_SIGNATURE', 'WEBHOOK_NO_SECRET']);

/** Per credential id: its secrets and when they were read. */
const kept = new Map<string, { secrets: string[]; readAtMs: number }>();

/** The credentials this process keeps secrets for. */
export function credentialsKept(): string[] {
  return [...kept.keys()];
}

/** Drops secrets past their max age, so a rotated-out secret does not stay in memory. */
function evictOld(nowMs: number): void {
  for (const [id, entry] of kept) if (nowMs - entry.readAtMs >= SECRETS_MAX_AGE_MS) kept.delete(id);
}

/** The Webhook Secret field: one secret, or several separated by commas while rotating. */
export async function readSecrets(fn: IHookFunctions | IWebhookFunctions): Promise<string[]> {
  const credentials = await fn.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
  const value = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret : '';
  return value
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
}

/**
 * Runs `verify` with the secrets kept for this node's credential, or freshly read ones; when the
 * kept ones fail, once more with freshly read ones.
 */
export async function withSecrets<T>(
  fn: IWebhookFunctions,
  verify: (secrets: string[]) => T,
  nowMs = Date.now(),
): Promise<T> {
  evictOld(nowMs);
  const id = fn.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? undefined;
  const entry = id === undefined ? undefined : kept.get(id);
  if (entry) {
    let refusal: unknown;
    try {
      return verify(entry.secrets);
    } catch (error) {
      refusal = error;
    }
    // The trigger answers the sender with any other refusal (401 JSON); it never reaches n8n, so
    // it stays the core's error. A secret refusal may mean a secret added since: decide with the
    // credential as it is now.
    if (!(refusal instanceof FayError && SECRET_REFUSALS.has(refusal.code))) throw refusal;
  }
  const secrets = await readSecrets(fn);
  if (id !== undefined) kept.set(id, { secrets, readAtMs: nowMs });
  return verify(secrets);
}
