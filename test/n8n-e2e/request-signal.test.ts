// The Fay node gives each request its own abort signal by shadowing getExecutionCancelSignal
// (src/n8n/nodes/Fay/request-signal.ts), because n8n's httpRequestWithAuthentication overwrites
// `abortSignal`. This runs n8n-core 2.41.1's real helper (from the cached n8n install) up to the
// point where it would send, and fails loudly when n8n changes either side of that.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { withRequestSignal } from '../../src/n8n/nodes/Fay/request-signal.ts';
import { ensureN8n } from './support/n8n-install.ts';
import { SETUP_TIMEOUT_MS } from './support/suite.ts';

type HelperWithAuth = (
  this: object,
  credentialsType: string,
  options: IHttpRequestOptions,
  workflow: object,
  node: object,
  additionalData: object,
) => Promise<unknown>;

let httpRequestWithAuthentication: HelperWithAuth;

beforeAll(async () => {
  const install = await ensureN8n();
  const require = createRequire(join(install.dir, 'node_modules', 'n8n', 'package.json'));
  const helpers =
    require.resolve('n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/authentication.js');
  ({ httpRequestWithAuthentication } = require(helpers) as {
    httpRequestWithAuthentication: HelperWithAuth;
  });
}, SETUP_TIMEOUT_MS);

/** The signal n8n's helper would send the request with, from a context `fn`. */
async function signalSent(fn: object, requested: AbortSignal): Promise<unknown> {
  let sent: unknown;
  const stop = new Error('captured before sending');
  const additionalData = {
    credentialsHelper: {
      getParentTypes: () => [],
      preAuthentication: async () => undefined,
      authenticate: async (_: unknown, __: string, options: IHttpRequestOptions) => {
        sent = options.abortSignal;
        throw stop;
      },
    },
  };
  await expect(
    httpRequestWithAuthentication.call(
      fn,
      'fayApi',
      { url: 'http://127.0.0.1:9/', abortSignal: requested },
      {},
      { name: 'Fay' },
      additionalData,
    ),
  ).rejects.toBeDefined();
  return sent;
}

describe("n8n's httpRequestWithAuthentication and the request's own abort signal", () => {
  const execution = new AbortController().signal;
  const context = {
    getExecutionCancelSignal: () => execution,
    getCredentials: async () => ({}),
    getNode: () => ({ name: 'Fay' }),
    helpers: {},
  };

  it('n8n still replaces the abortSignal it is given (else remove request-signal.ts)', async () => {
    const requested = new AbortController().signal;
    expect(await signalSent(context, requested)).toBe(execution);
  });

  it("withRequestSignal makes n8n send the request with the request's signal", async () => {
    const requested = new AbortController().signal;
    const view = withRequestSignal(context as unknown as IExecuteFunctions, requested);
    expect(await signalSent(view, requested)).toBe(requested);
  });
});
