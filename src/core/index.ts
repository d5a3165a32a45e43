// Root export of fay-mcp/client, the public API alone: the Fay client on Node (fetch, timers,
// p-retry) with its types, errors, limits, schedule, transports and webhook helpers. The same API
// without Node's facilities is portable.ts; what only the MCP server and the n8n node share with
// the core is in internal.ts, which the package does not export.
export * from './portable.js';
// Shadows portable's FayClient: this one brings Node's host itself.
export { FayClient, nodeHost, pRetryEngine } from './node.js';
export { fetchTransport, httpTransport } from './transport.js';
export { defaultSleep } from './sleep.js';
