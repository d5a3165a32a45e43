// The tool registry: one file per tool; the server registers them all from here.
import type { ToolContext } from './context.js';
import type { ToolModule } from './tool.js';
import type { FayMcpServer } from './tool-calls.js';
import { getResearchTool } from './tools/get-research.js';
import { researchTool } from './tools/research.js';
import { startResearchTool } from './tools/start-research.js';
import { stopResearchTool } from './tools/stop-research.js';

export const TOOLS: readonly ToolModule[] = [
  researchTool,
  startResearchTool,
  getResearchTool,
  stopResearchTool,
];

export function registerTools(server: FayMcpServer, ctx: ToolContext): void {
  for (const tool of TOOLS) tool.register(server, ctx);
}
