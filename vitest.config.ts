import { configDefaults, defineConfig } from 'vitest/config';

// Two tiers. `quick` runs in the test process, without a build or a child process: the core, the
// MCP server in process on virtual time, the n8n node's units, the local Fay server
// (`npm run test:quick`). `process` needs the build or real processes: the built MCP bin over
// stdio and HTTP, the packed package, real n8n. `npm test` runs both.
const QUICK = [
  'test/core/**/*.test.ts',
  'test/server/**/*.test.ts',
  'test/mcp/**/*.test.ts',
  'test/n8n/**/*.test.ts',
  'test/hostile/core.test.ts',
  'test/hostile/mcp-calls.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'quick', include: QUICK } },
      {
        extends: true,
        test: {
          name: 'process',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...QUICK],
        },
      },
    ],
  },
});
