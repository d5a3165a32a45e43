#!/usr/bin/env node
// fay-mcp, the Fay MCP server (npx -y fay-mcp, or the MCP bundle). stdout is the JSON-RPC
// channel, so the global console is replaced first by one that writes every method (log, info,
// debug, dir, table…) to stderr. Node's compile cache is enabled before the server's modules load,
// so every start after the first skips compiling them (MCP clients spawn the server often); the
// build keeps the server in its own file (main.js) for that reason. main.ts is imported
// dynamically because static imports would load (and could capture the console) first.
import { Console } from 'node:console';
import module from 'node:module';
import { dropUnsetBundleOptions } from './config/bundle-env.js';

globalThis.console = new Console(process.stderr, process.stderr);
module.enableCompileCache?.();
dropUnsetBundleOptions(process.env);
await import('./main.js');
