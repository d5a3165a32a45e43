// `npm run test:node22` (part of `npm test`): the core, hostile-input, MCP (in process, and the
// built bin over stdio and HTTP) and distribution suites again on Node 22, the oldest Node the
// package supports (engines). vitest itself runs on Node 22 here, so its workers and every server
// the tests spawn (process.execPath) do too. Node 22 comes from the fay-node22 dev dependency
// (test/dist/node22); n8n needs Node 24, so its suites are not run here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const node22Package = dirname(require.resolve('fay-node22/package.json'));
const node22 = join(node22Package, 'node_modules', 'node', 'bin', 'node');
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
// Other filters or options after `--` replace the default folders (e.g. one file).
const args =
  process.argv.length > 2
    ? process.argv.slice(2)
    : ['test/core', 'test/hostile', 'test/mcp/', 'test/mcp-bin', 'test/mcp-http', 'test/dist'];

const { status, error } = spawnSync(node22, [vitest, 'run', ...args], {
  stdio: 'inherit',
  env: { ...process.env, FAY_TEST_NODE_MAJOR: '22' },
});
if (error) throw error;
process.exit(status ?? 1);
