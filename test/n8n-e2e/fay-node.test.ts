// The Fay node in real n8n 2.41: workflows imported with the CLI and run with `n8n execute`
// against the local Fay server over HTTP. Proves what the fast tests cannot: that n8n loads the
// built package, applies the credential, and hands the node's items on as the user will see them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import type { N8nItem } from './support/n8n-run-data.ts';
import {
  CASE_TIMEOUT_MS,
  SETUP_TIMEOUT_MS,
  TEARDOWN_TIMEOUT_MS,
  setUpSuite,
  tearDownSuite,
  type E2eSuite,
} from './support/suite.ts';
import {
  FAY_PACKAGE_NODE_TYPE,
  fay,
  fayCredential,
  itemsOf,
  manualTrigger,
  workflow,
  type N8nCredential,
  type N8nWorkflow,
} from './support/workflows.ts';

// Unique per run, so "the key never appears in n8n's output" searches for something meaningful.
const KEY = `fay_e2e_${randomBytes(12).toString('hex')}`;
const REJECTED_KEY = `fay_e2e_revoked_${randomBytes(12).toString('hex')}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const SCHEMA = {
  type: 'object',
  properties: {
    summary: { type: 'string' },
    confidence: { type: 'number' },
    keyFindings: { type: 'array', items: { type: 'string' } },
    verdict: { type: 'string', enum: ['adopt', 'wait'] },
  },
  required: ['summary', 'confidence', 'keyFindings', 'verdict'],
};

/** The workflows of this file: one per case, all imported at once. */
function buildWorkflows(good: N8nCredential, rejected: N8nCredential) {
  const start = manualTrigger;
  const research = (
    name: string,
    prompt: string,
    options: Parameters<typeof fay>[3] = {},
    credential = good,
  ) => fay(name, credential, { operation: 'create', prompt }, options);
  const noWait = fay('Create without waiting', good, {
    operation: 'create',
    prompt: 'A research that runs until stopped [fay:never]',
    waitForCompletion: false,
  });
  const byRequestId = (name: string, operation: 'getStatus' | 'getOutput' | 'stop') =>
    fay(name, good, { operation, requestId: '={{ $json.requestId }}' });
  const startOps = start();
  return {
    createAndWait: workflow('fayCreateWait', 'Fay: create and wait', [
      [start(), research('Research', 'How do heat pumps perform in cold climates?')],
    ]),
    structured: workflow('fayStructured', 'Fay: structured output', [
      [
        start(),
        fay('Structured research', good, {
          operation: 'create',
          prompt: 'Should a small office adopt heat pumps now?',
          structuredOutput: true,
          outputSchema: JSON.stringify(SCHEMA, null, 2),
        }),
      ],
    ]),
    operations: workflow('fayOperations', 'Fay: get status, get output, stop', [
      [startOps, noWait, byRequestId('Get status', 'getStatus'), byRequestId('Stop', 'stop')],
      [
        startOps,
        research('Research', 'Solar panel payback times'),
        byRequestId('Get output', 'getOutput'),
      ],
    ]),
    continueOnFail: workflow('fayContinueFail', 'Fay: continue on fail', [
      [
        start(),
        ...itemsOf('prompt', [
          'Battery storage for homes',
          '',
          'District heating costs [fay:fail]',
          'Heat pump noise levels',
        ]),
        research('Research each', '={{ $json.prompt }}', { continueOnFail: true }),
      ],
    ]),
    asCommunityPackage: workflow('fayPackage', 'Fay: loaded as a community package', [
      [start(), research('Research', 'Community package check', { type: FAY_PACKAGE_NODE_TYPE })],
    ]),
    rejectedKey: workflow('fayRejectedKey', 'Fay: rejected key', [
      [start(), research('Research', 'Anything at all', {}, rejected)],
    ]),
  } satisfies Record<string, N8nWorkflow>;
}

function only(items: N8nItem[]): Record<string, unknown> {
  expect(items).toHaveLength(1);
  return items[0]!.json;
}

describe('Fay node in real n8n (n8n execute)', { timeout: CASE_TIMEOUT_MS }, () => {
  let suite: E2eSuite | undefined;
  let fayServer: FayServer | undefined;
  let flows: ReturnType<typeof buildWorkflows>;

  const n8n = () => suite!.n8n;
  const server = () => fayServer!;
  /** Runs a workflow with `n8n execute`; it must succeed. */
  const succeeds = async (flow: N8nWorkflow) => {
    const run = await n8n().execute(flow.id);
    expect(run.error, run.describe()).toBeUndefined();
    expect(run.result.code, run.describe()).toBe(0);
    return run;
  };

  beforeAll(async () => {
    suite = await setUpSuite('Fay node');
    fayServer = await startFayServer({ apiKeys: [KEY], jobDurationMs: 400 });
    const good = fayCredential('fayGood', { apiKey: KEY, baseUrl: fayServer.url });
    const rejected = fayCredential('fayRejected', { apiKey: REJECTED_KEY, baseUrl: fayServer.url });
    flows = buildWorkflows(good, rejected);
    await suite.n8n.importCredentials([good, rejected]);
    await suite.n8n.importWorkflows(Object.values(flows));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await fayServer?.close();
    await tearDownSuite(suite);
  }, TEARDOWN_TIMEOUT_MS);

  it('creates a research, waits for it and outputs the Markdown answer', async () => {
    const run = await succeeds(flows.createAndWait);
    const item = only(run.items('Research'));
    expect(item).toMatchObject({
      requestId: expect.stringMatching(UUID),
      conversationId: expect.any(String),
      status: 'COMPLETED',
      createdAt: expect.any(String),
      startedAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(item.output).toEqual(expect.stringContaining('# Research: How do heat pumps'));
    // The credential's generic auth put the key on the request, through n8n's request helper.
    const create = server().requests.find((r) => r.requestId === item.requestId);
    expect(create?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('outputs structured output as a parsed JSON object shaped by the schema', async () => {
    const run = await succeeds(flows.structured);
    const item = only(run.items('Structured research'));
    expect(item.status).toBe('COMPLETED');
    expect(item.output).toEqual({
      summary: expect.any(String),
      confidence: expect.any(Number),
      keyFindings: expect.any(Array),
      verdict: expect.stringMatching(/^(adopt|wait)$/),
    });
    const create = server().requests.find(
      (r) => r.endpoint === 'create' && r.requestId === item.requestId,
    );
    expect(create?.body).toMatchObject({ structured_output: true, output_schema: SCHEMA });
  });

  it('gets status and output, and stops a running research', async () => {
    const run = await succeeds(flows.operations);

    const created = only(run.items('Create without waiting'));
    expect(created).toEqual({
      requestId: expect.stringMatching(UUID),
      status: expect.stringMatching(/^(PENDING|PROCESSING)$/),
      createdAt: expect.any(String),
    });
    const requestId = created.requestId as string;
    expect(only(run.items('Get status'))).toMatchObject({
      requestId,
      status: expect.stringMatching(/^(PENDING|PROCESSING)$/),
      prompt: 'A research that runs until stopped [fay:never]',
    });
    expect(only(run.items('Stop'))).toMatchObject({ requestId, status: 'STOPPED' });
    expect(server().jobState(requestId)).toBe('STOPPED');

    const researched = only(run.items('Research'));
    expect(only(run.items('Get output'))).toEqual({
      requestId: researched.requestId,
      conversationId: researched.conversationId,
      status: 'COMPLETED',
      output: researched.output,
    });
  });

  it('with Continue on Fail, turns failed items into error items and finishes the others', async () => {
    const run = await succeeds(flows.continueOnFail);
    const items = run.items('Research each');
    expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
    const [first, empty, failed, last] = items.map((i) => i.json);
    expect(first).toMatchObject({
      status: 'COMPLETED',
      output: expect.stringContaining('Battery'),
    });
    expect(last).toMatchObject({ status: 'COMPLETED', output: expect.stringContaining('noise') });
    expect(empty).toEqual(expect.objectContaining({ error: expect.stringMatching(/prompt/i) }));
    expect(empty).not.toHaveProperty('output');
    expect(failed).toEqual(
      expect.objectContaining({
        error: expect.stringContaining('could not be retrieved'),
        requestId: expect.stringMatching(UUID),
      }),
    );
    // The empty prompt was refused before any request.
    expect(server().count('create', (r) => (r.body as { prompt?: string })?.prompt === '')).toBe(0);
  });

  it('fails the execution with a clear message when Fay rejects the API key', async () => {
    const run = await n8n().execute(flows.rejectedKey.id);
    expect(run.result.code, run.describe()).not.toBe(0);
    expect(run.error?.message, run.describe()).toMatch(/API key/i);
    const sent = server().requests.filter(
      (r) => r.headers.authorization === `Bearer ${REJECTED_KEY}`,
    );
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.statusCode === 401)).toBe(true);
  });

  it('runs the same way when n8n loads it as an installed community package', async () => {
    // Read through package.json's `n8n` section (paths, n8nNodesApiVersion), as after an install.
    const run = await succeeds(flows.asCommunityPackage);
    expect(only(run.items('Research'))).toMatchObject({
      status: 'COMPLETED',
      output: expect.stringContaining('Community package check'),
    });
  });

  it('never prints an API key, in any n8n output or run data', () => {
    const transcript = n8n().transcript();
    expect(transcript.length).toBeGreaterThan(0);
    expect(transcript).not.toContain(KEY);
    expect(transcript).not.toContain(REJECTED_KEY);
  });
});
