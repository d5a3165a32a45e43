// Builds dist/, one folder per thing that ships:
// - dist/core: tsc's per-module build of the core, with its types, for library users
//   (`fay-mcp/client`);
// - dist/mcp: the MCP server bundled with its dependencies (bin.js and main.js: the MCP SDK is not
//   a runtime dependency of fay-mcp, and the MCP bundle ships these two files);
// - dist/n8n-nodes-fay: the n8n package as it is packed, each node and the credential bundled
//   with the part of the core it uses (see n8nBundle below).
// The root package.json's bin.fay-mcp runs dist/mcp/bin.js straight from a checkout.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

// From scratch, so no file of an older build is ever packed.
rmSync('dist', { recursive: true, force: true });

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {
  stdio: 'inherit',
});

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

// The n8n package: src/n8n/package.json with dist/nodes/… and dist/credentials/… beside it, as
// its "n8n" section names them. n8n loads each file with require(), so CommonJS; each is bundled
// with the core code it reaches, so the package has no runtime dependency. n8n-workflow is the
// peer n8n provides. Validation uses the zod n8n ships (see n8nZod); nothing else is external.
// Not minified: n8n's verification reviewers read the shipped code.
const N8N_PACKAGE = 'dist/n8n-nodes-fay';
// The node validates Fay's answers with the core's zod 4 schemas, through `zod/v4` resolved from
// n8n's own node_modules (n8n puts it on NODE_PATH for community packages; 2.41 ships zod
// 3.25.76, whose zod/v4 is the v4 API, and zod 4 keeps that path): the package stays
// dependency-free. Bundling zod 4 instead (zod/mini shares its core) makes each node file about
// 0.8 MB larger and adds 10 uses of `globalThis`, which n8n's scanner refuses (docs/benchmarks.md).
const n8nZod = { zod: 'zod/v4' };
await build({
  entryPoints: [
    'src/n8n/nodes/Fay/Fay.node.ts',
    'src/n8n/nodes/FayTrigger/FayTrigger.node.ts',
    'src/n8n/credentials/FayApi.credentials.ts',
  ],
  outbase: 'src/n8n',
  outdir: `${N8N_PACKAGE}/dist`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  alias: n8nZod,
  external: ['n8n-workflow', 'zod/v4'],
});
mkdirSync(N8N_PACKAGE, { recursive: true });
cpSync('src/n8n/package.json', `${N8N_PACKAGE}/package.json`);
cpSync('src/n8n/README.md', `${N8N_PACKAGE}/README.md`);
cpSync('LICENSE', `${N8N_PACKAGE}/LICENSE`);
cpSync('src/n8n/icons', `${N8N_PACKAGE}/dist/icons`, { recursive: true });
// The codex files (category, documentation links) beside their nodes.
for (const node of readdirSync('src/n8n/nodes')) {
  cpSync(
    `src/n8n/nodes/${node}/${node}.node.json`,
    `${N8N_PACKAGE}/dist/nodes/${node}/${node}.node.json`,
  );
}
