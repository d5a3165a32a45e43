// Run with NODE_PATH set to n8n's node_modules (as n8n runs community packages): loads the Fay
// node from an installed n8n-nodes-fay and prints the description n8n's own tool generation
// (convertNodeToAiTool, what n8n does for every node with usableAsTool) gives it.
// Usage: node tool-description.ts <installed package root> <n8n's node_modules>
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [packageRoot, n8nModules] = process.argv.slice(2) as [string, string];
const require = createRequire(join(packageRoot, 'package.json'));
const manifest = require('./package.json') as { n8n: { nodes: string[] } };
const file = manifest.n8n.nodes.find((path) => path.endsWith('/Fay.node.js'))!;
const { Fay } = require(`./${file}`) as { Fay: new () => { description: unknown } };
const { convertNodeToAiTool } = require(
  join(n8nModules, 'n8n', 'dist', 'tool-generation', 'ai-tools.js'),
) as { convertNodeToAiTool(item: { description: unknown }): { description: unknown } };

const description = new Fay().description;
const usableAsTool = (description as { usableAsTool?: unknown }).usableAsTool;
const tool = convertNodeToAiTool({ description: structuredClone(description) }).description;
process.stdout.write(JSON.stringify({ usableAsTool, tool }));
