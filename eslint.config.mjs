import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // The MCP face's units stay readable: no function over 60 lines.
  {
    files: ['src/mcp/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  // n8n's own community-node rules, on the n8n face only.
  {
    files: ['src/n8n/**/*.ts', 'package.json'],
    extends: [n8nCommunityNodesPlugin.configs.recommended],
  },
  // package.json is read as a JSON expression by the TypeScript parser, as in n8n-nodes-starter.
  {
    files: ['package.json'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { extraFileExtensions: ['.json'] },
    },
    rules: {
      // One package serves two faces: the MCP server and the shared core need runtime
      // dependencies (zod, p-retry; the MCP server bundles the MCP SDK), which n8n installs with the
      // package on self-hosted instances. See docs/n8n.md (Packaging and lint).
      '@n8n/community-nodes/no-runtime-dependencies': 'off',
    },
  },
  // no-credential-reuse maps package.json's "dist/X.js" to "X.ts" beside the nearest package.json
  // (n8n-nodes-starter's layout). Here src/n8n compiles to dist/n8n and the nearest package.json
  // is src/n8n's {"type":"commonjs"}, so the rule cannot see src/n8n/credentials and flags our own
  // fayApi. test/n8n/manifest.test.ts makes the same check for this layout.
  {
    files: ['src/n8n/nodes/**/*.node.ts'],
    rules: { '@n8n/community-nodes/no-credential-reuse': 'off' },
  },
);
