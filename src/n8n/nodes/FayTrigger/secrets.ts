// The credential's webhook secrets, as the trigger verifies events with them. n8n decrypts a
// credential on each read (a database query, a decryption and an expression sandbox), which in a
// burst of deliveries costs more than everything else the trigger does; so this process keeps
// what it read for a short while. A new secret works at once: a signature that matches none of
// the kept secrets reads the credential again before it is refused, at most once every
// SECRETS_REREAD_MIN_MS per credential (anyone can send forged signatures; each such read costs
// what the cache saves, and Fay retries a refused delivery). A removed secret stops working
// within SECRETS_MAX_AGE_MS.
import type {
  ICredentialDataDecryptedObject,
  IHookFunctions,
  IWebhookFunctions,
} from 'n8n-workflow';
import { FayError } from '../../../core/portable.js';

export const CREDENTIAL_TYPE = 'fayApi';
export const SECRETS_MAX_AGE_MS = 60_000;
export const SECRETS_REREAD_MIN_MS = 5_000;

/** Refusals that a secret added since the last read could turn into an acceptance. */
const SECRET_REFUSALS = new Set(['WEBHOOK_INVALID_SIGNATURE', 'WEBHOOK_NO_SECRET']);

/** Per credential id: its secrets, when they were read, and when a refusal last re-read them. */
const kept = new Map<string, { secrets: string[]; readAtMs: number; rereadAtMs?: number }>();

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
 * kept ones fail, once more with freshly read ones unless a refusal re-read them lately.
 */
export async function withSecrets<T>(
  fn: IWebhookFunctions,
  verify: (secrets: string[]) => T,
  nowMs = Date.now(),
): Promise<T> {
  evictOld(nowMs);
  const id = fn.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? undefined;
  const entry = id === undefined ? undefined : kept.get(id);
  if (entry?.rereadAtMs !== undefined && nowMs - entry.rereadAtMs < SECRETS_REREAD_MIN_MS) {
    return verify(entry.secrets);
  }
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
  if (id !== undefined) {
    // A re-read after a refusal (kept secrets existed) starts the wait before the next one.
    kept.set(id, { secrets, readAtMs: nowMs, ...(entry && { rereadAtMs: nowMs }) });
  }
  return verify(secrets);
}
