// Installing Debian packages a test needs (Redis, Postgres, Chromium) when they are missing:
// apt-get as root, or through passwordless sudo; never a prompt no one will answer.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const APT_TIMEOUT_MS = 15 * 60_000;
const SUDO_CHECK_TIMEOUT_MS = 10_000;

/** Runs apt-get as root, or through passwordless sudo; false when neither is possible. */
async function aptGet(args: string[]): Promise<boolean> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (process.getuid?.() === 0) {
    await run('apt-get', args, { env, timeout: APT_TIMEOUT_MS });
    return true;
  }
  // -n: fail at once rather than wait for a password no one will type.
  const sudo = await run('sudo', ['-n', 'true'], { timeout: SUDO_CHECK_TIMEOUT_MS }).then(
    () => true,
    () => false,
  );
  if (!sudo) return false;
  await run('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], {
    env,
    timeout: APT_TIMEOUT_MS,
  });
  return true;
}

/** `apt-get update`, then installs `packages` without recommends; false when not allowed to. */
export async function aptInstall(packages: string[]): Promise<boolean> {
  return (
    (await aptGet(['update'])) &&
    (await aptGet(['install', '-y', '--no-install-recommends', ...packages]))
  );
}
