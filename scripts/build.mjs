// Builds dist/: tsc for the code, then the n8n assets tsc does not copy (icons, codex files, and
// the package.json that makes dist/n8n CommonJS, because n8n loads nodes and credentials with
// require()), then the MCP server bundled with its dependencies (dist/mcp/bin.js and main.js: the
// MCP SDK is not a runtime dependency of the package, and the MCP bundle ships these two files).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

// From scratch, so no file of an older build is ever packed.
rmSync('dist', { recursive: true, force: true });

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {
  stdio: 'inherit',
});
cpSync('src/n8n', 'dist/n8n', {
  recursive: true,
  filter: (source) => !source.endsWith('.ts'),
});

// tsc's per-module dist/mcp is replaced by the bundle: nothing imports it, and shipping both would
// double the server's share of the package.
rmSync('dist/mcp', { recursive: true, force: true });
// Node's built-ins reached with require() instead of import: an ES import builds the module's whole
// export facade, reading every getter, and node:http's getters load undici, TLS and HTTP/2 (tens
// of milliseconds at every start, for a client that sends its first request much later).
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, ({ path, kind }) =>
      builtins.has(path) && kind === 'import-statement'
        ? { path, namespace: 'builtin-through-require' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin-through-require' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(path)});`,
      loader: 'js',
    }));
  },
};

const bundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // A quarter smaller to read and compile at every start; functions and classes keep their names
  // (error names, readable stack traces).
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
};
// Two files: bin.js points the console at stderr and enables Node's compile cache, then imports
// main.js, the server with all its dependencies. The cache covers only modules loaded after it is
// enabled, so the server must not be in bin.js itself.
await build({
  ...bundle,
  entryPoints: ['src/mcp/bin.ts'],
  outfile: 'dist/mcp/bin.js',
  external: ['./main.js'],
});
await build({
  ...bundle,
  // From the entry, so whatever main.ts imports (now or later) is carried.
  entryPoints: ['src/mcp/main.ts'],
  outfile: 'dist/mcp/main.js',
  plugins: [builtinsThroughRequire],
  // Dependencies written as CommonJS call require() for Node's built-ins, which an ES module
  // bundle has no binding for; give it one.
  banner: {
    js: "import { createRequire as __fayCreateRequire } from 'node:module';\nconst require = __fayCreateRequire(import.meta.url);",
  },
});
// The MCP server's bin is run directly (npx, MCP clients): keep it executable.
chmodSync('dist/mcp/bin.js', 0o755);
