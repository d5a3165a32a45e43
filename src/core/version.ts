// The version the client names in its User-Agent, and that the MCP server reports. A constant, not
// read from package.json at run time: the n8n package bundles the core and may not reach the file
// system. `npm version` keeps it equal to both package.json files (scripts/version.ts), and
// test/n8n/manifest.test.ts checks it.
export const PACKAGE_NAME = 'fay-client';
export const PACKAGE_VERSION = '0.1.0';
