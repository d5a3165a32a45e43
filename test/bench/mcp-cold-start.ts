// Cold start of the MCP server: spawn → initialize → tools/list answered, for fay-mcp (the
// built dist/mcp/bin.js, which enables Node's compile cache) and for a minimal SDK server
// with one trivial tool, measured alternately in the same run; the figure is the ratio of the
// medians (goal ≤ 0.75×). The same bundle with the compile cache disabled is shown too.
// Part of `npm run bench`; alone: `node test/bench/run.ts mcp-cold-start` (after a build).
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { fixed, pass, type BenchTable } from './support.ts';

const BIN = fileURLToPath(new URL('../../dist/mcp/bin.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Plain JavaScript like the built bin, so neither side pays for TypeScript stripping.
const MINIMAL_SERVER = `
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import * as z from 'zod';
const server = new McpServer({ name: 'minimal', version: '1.0.0' });
server.registerTool('echo', { inputSchema: { text: z.string() } }, ({ text }) => ({
  content: [{ type: 'text', text }],
}));
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
`;

interface Contender {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

async function coldStartMs({ args, env }: Contender): Promise<number> {
  const started = performance.now();
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args,
      cwd: ROOT,
      stderr: 'ignore',
      ...(env && { env: { ...getDefaultEnvironment(), ...env } }),
    }),
  );
  // A raw request: client.listTools() would also time the client compiling output validators.
  await client.request({ method: 'tools/list' }, ListToolsResultSchema);
  const elapsed = performance.now() - started;
  await client.close();
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const RUNS = 15;
const GOAL = 0.75;
const MINIMAL_ARGS = ['--input-type=module', '-e', MINIMAL_SERVER];

export default async function mcpColdStart(): Promise<BenchTable[]> {
  const contenders: Contender[] = [
    { name: 'fay-mcp (dist/mcp/bin.js, bundled)', args: [BIN] },
    {
      name: 'fay-mcp without compile cache',
      args: [BIN],
      env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    },
    { name: 'minimal SDK server, one tool', args: MINIMAL_ARGS },
  ];
  const times: number[][] = contenders.map(() => []);
  // Warms the file system cache and fills the compile cache, as any start after the first finds it.
  for (const contender of contenders) await coldStartMs(contender);
  // Alternating, so load from other processes hits all alike.
  for (let i = 0; i < RUNS; i++) {
    for (const [index, contender] of contenders.entries()) {
      times[index]!.push(await coldStartMs(contender));
    }
  }
  const medians = times.map(median);
  const baseline = medians[2]!;
  return [
    {
      title: `MCP cold start: spawn → initialize → tools/list answered (median of ${RUNS})`,
      columns: ['server', 'ms', 'vs minimal', `goal ≤ ${GOAL}×`],
      rows: contenders.map(({ name }, index) => {
        const ratio = medians[index]! / baseline;
        return [
          name,
          fixed(medians[index]!, 0),
          `${fixed(ratio, 2)}×`,
          index < 2 ? pass(ratio <= GOAL) : '',
        ];
      }),
    },
  ];
}
