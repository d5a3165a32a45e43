#!/usr/bin/env node
// fay-mcp, the Fay MCP server (npx -y n8n-nodes-fay). Node's compile cache is enabled before the
// server's modules load, so every start after the first skips compiling them (MCP clients spawn
// the server often); main.ts is imported dynamically because static imports would load first.
import module from 'node:module';

module.enableCompileCache?.();
await import('./main.js');
