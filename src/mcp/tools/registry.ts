// The tool registry: one file per tool, one line here; the server registers them all from here.
import type { ToolContext } from '../research/context.js';
import type { ToolModule, ToolServer } from './define.js';
import { getResearchTool } from './get-research.js';
import { researchTool } from './research.js';
import { startResearchTool } from './start-research.js';
import { stopResearchTool } from './stop-research.js';

export const TOOLS: readonly ToolModule[] = [
  researchTool,
  startResearchTool,
  getResearchTool,
  stopResearchTool,
];

export function registerTools(server: ToolServer, ctx: ToolContext): void {
  for (const tool of TOOLS) tool.register(server, ctx);
}
