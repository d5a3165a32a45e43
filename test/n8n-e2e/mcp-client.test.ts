// fay-mcp --http used by real n8n 2.41: a workflow whose MCP Client nodes (n8n's own, Streamable
// HTTP, Bearer Auth credential holding the user's Fay key) call fay_start_research, then
// fay_get_research with the request_id from the first call.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { startHttpServer, type HttpServerProcess } from '../support/mcp.ts';
import {
  CASE_TIMEOUT_MS,
  SETUP_TIMEOUT_MS,
  TEARDOWN_TIMEOUT_MS,
  setUpSuite,
  tearDownSuite,
  type E2eSuite,
} from './support/suite.ts';
import {
  manualTrigger,
  n8nId,
  node,
  workflow,
  type N8nCredential,
  type N8nNode,
} from './support/workflows.ts';

const KEY = `fay_e2e_mcp_${randomBytes(12).toString('hex')}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const bearer: N8nCredential = {
  id: n8nId('fayMcpBearer'),
  name: 'Fay MCP bearer',
  type: 'httpBearerAuth',
  data: { token: KEY },
};

/** n8n's MCP Client node calling `tool` on `url` with JSON arguments (an expression allowed). */
function mcpClient(name: string, url: string, tool: string, json: string): N8nNode {
  return node(
    name,
    '@n8n/n8n-nodes-langchain.mcpClient',
    1.1,
    {
      serverTransport: 'httpStreamable',
      endpointUrl: url,
      authentication: 'bearerAuth',
      tool: { __rl: true, mode: 'id', value: tool },
      inputMode: 'json',
      jsonInput: json,
      options: {},
    },
    { credentials: { httpBearerAuth: { id: bearer.id, name: bearer.name } } },
  );
}

let suite: E2eSuite | undefined;
let fay: FayServer | undefined;
let mcp: HttpServerProcess | undefined;

beforeAll(async () => {
  suite = await setUpSuite('MCP Client → fay-mcp --http');
  fay = await startFayServer({ apiKeys: [KEY], jobDurationMs: 400 });
  mcp = await startHttpServer({ FAY_BASE_URL: fay.url });
  await suite.n8n.importCredentials([bearer]);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await mcp?.stop();
  await fay?.close();
  await tearDownSuite(suite);
}, TEARDOWN_TIMEOUT_MS);

it(
  "n8n's MCP Client node starts a research and gets it through fay-mcp over HTTP",
  async () => {
    const flow = workflow('fayMcpClient', 'Fay MCP over HTTP', [
      [
        manualTrigger(),
        mcpClient(
          'Start research',
          mcp!.url,
          'fay_start_research',
          JSON.stringify({ prompt: 'Heat pumps in n8n via MCP' }),
        ),
        mcpClient(
          'Get research',
          mcp!.url,
          'fay_get_research',
          '={{ JSON.stringify({ request_id: $json.structuredContent.request_id }) }}',
        ),
      ],
    ]);
    await suite!.n8n.importWorkflows([flow]);
    const run = await suite!.n8n.execute(flow.id);
    expect(run.error, run.describe()).toBeUndefined();
    const [started] = run.items('Start research');
    const requestId = (started?.json.structuredContent as { request_id?: string })?.request_id;
    expect(requestId, run.describe()).toMatch(UUID);
    const [got] = run.items('Get research');
    expect(got?.json.structuredContent).toMatchObject({ request_id: requestId });
    // The research was made with the key n8n sent as its bearer, and Fay saw it from our server.
    expect(fay!.jobs.get(requestId!)?.prompt).toBe('Heat pumps in n8n via MCP');
    expect(fay!.count('create')).toBe(1);
    expect(suite!.n8n.transcript()).not.toContain(KEY);
    expect(mcp!.stderr()).not.toContain(KEY);
  },
  CASE_TIMEOUT_MS,
);
