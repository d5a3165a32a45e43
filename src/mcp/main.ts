// The fay-mcp process (started by bin.ts): configuration from the environment (config/), then
// the server over stdio, or over HTTP with --http. stdout carries JSON-RPC only; every diagnostic
// goes to stderr (bin.ts has pointed the whole console there before this module loads).
import { loadConfig, loadHttpConfig, wantsHttp } from './config/index.js';
import { useEnvProxy } from './transports/proxy.js';
import { serveStdio } from './transports/stdio.js';

/** A configuration or start-up problem: said on stderr, exit code 1. */
function exitWith(message: string): never {
  process.stderr.write(`fay-mcp: ${message}\n`);
  process.exit(1);
}

const loaded = loadConfig(process.env);
if (!loaded.ok) exitWith(loaded.message);
const { config } = loaded;
const proxyWarning = useEnvProxy(process.env);
if (proxyWarning) process.stderr.write(`fay-mcp: ${proxyWarning}\n`);
const argv = process.argv.slice(2);

if (wantsHttp(argv)) {
  const http = loadHttpConfig(argv, process.env, config.apiKey);
  if (!http.ok) exitWith(http.message);
  const { runHttp } = await import('./transports/http/server.js');
  await runHttp(config, http.config, exitWith);
} else {
  await serveStdio(config);
}
