// The n8n transport keeps the credential's key out of everything it hands the core: n8n's helper
// authenticates (the core has no key to redact), so an answer or an error echoing the
// Authorization header is scrubbed first. The node's error and Continue on Fail items are checked.
import { inspect } from 'node:util';
import { describe, expect, it, type TestContext } from 'vitest';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { FayCreateOutcomeUnknownError } from '../../src/core/index.ts';
import { Fay } from '../../src/n8n/nodes/Fay/Fay.node.ts';
import { createFayClient } from '../../src/n8n/nodes/Fay/transport.ts';
import { execute } from './support/execute-context.ts';
import { localHttpServer } from './support/local-http.ts';
import { credentialsGetter, fakeNode } from './support/node-fixture.ts';

const KEY = 'fay_live_ECHOED_key_7Hq2';

/** Everything a user or a log could see of `value`. */
function shown(value: unknown): string {
  const error = value as Partial<NodeApiError>;
  return [
    inspect(value, { depth: 20 }),
    JSON.stringify(value),
    String(error.message),
    String(error.description),
    String(error.stack),
  ].join('\n');
}

/** A broken proxy: answers every request with a 500 HTML page echoing its Authorization header. */
function echoingProxy(test: TestContext): Promise<string> {
  return localHttpServer(test, (req, res) => {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end(
      `<html><body><h1>Upstream error</h1><pre>Authorization: ${req.headers.authorization}</pre>`,
    );
  });
}

describe.concurrent('n8n transport: the key is redacted before the core sees it', () => {
  it('an error page echoing the Authorization header: NodeApiError and Continue on Fail item', async (test) => {
    const baseUrl = await echoingProxy(test);
    // A create is not retried after a 500, so the page is answered once per run.
    const options = {
      credentials: { apiKey: KEY, baseUrl },
      parameters: { operation: 'create', prompt: 'q' },
    };

    const error = await execute(new Fay(), options).then(
      () => expect.unreachable('the execution should fail'),
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(NodeApiError);
    // The page's text is shown (the user needs it), with the key removed.
    expect(shown(error)).toContain('Authorization: Bearer [redacted]');
    expect(shown(error)).not.toContain(KEY);

    const output = await execute(new Fay(), { ...options, continueOnFail: true });
    const item = output[0][0].json;
    expect(item).toMatchObject({ code: 'SERVER_ERROR' });
    expect(item.error).toContain('Authorization: Bearer [redacted]');
    expect(shown(output)).not.toContain(KEY);
  });

  it('a helper error whose message echoes the key: redacted, its network code kept', async () => {
    const node = fakeNode(new Fay());
    // What n8n's helper throws for a failed request: NodeApiError around the network error. A
    // proxy refusing the tunnel can quote the request; no local server makes such an error.
    const networkError = Object.assign(
      new Error(`write EPROTO proxy refused "Authorization: Bearer ${KEY}"`),
      { code: 'EPROTO' },
    );
    const context = {
      getNode: () => node,
      getCredentials: credentialsGetter({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9' }),
      getExecutionCancelSignal: () => undefined,
      helpers: {
        httpRequestWithAuthentication: async () => {
          throw new NodeApiError(node, networkError as never);
        },
      },
    } as unknown as IExecuteFunctions;
    const client = await createFayClient(context);

    const error = await client.createConversation({ prompt: 'q' }).then(
      () => expect.unreachable('the create should fail'),
      (reason: unknown) => reason,
    );
    // Classified by its code (a lost connection: the create may have reached Fay)…
    expect(error).toBeInstanceOf(FayCreateOutcomeUnknownError);
    expect((error as Error).message).toContain('EPROTO');
    // …and the message it carried is kept, without the key.
    expect(shown(error)).toContain('Authorization: Bearer [redacted]');
    expect(shown(error)).not.toContain(KEY);
  });
});
