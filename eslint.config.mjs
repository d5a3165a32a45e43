import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Every unit of the product stays readable: no function over 60 lines (the core, both faces).
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  // n8n's own community-node rules on the n8n package (src/n8n/package.json and its sources).
  // test/dist/n8n-scanner.test.ts also runs n8n's scanner itself, with its stricter rule sets.
  {
    files: ['src/n8n/**/*.ts', 'src/n8n/package.json'],
    extends: [n8nCommunityNodesPlugin.configs.recommended],
  },
  // package.json is read as a JSON expression by the TypeScript parser, as in n8n-nodes-starter.
  {
    files: ['src/n8n/package.json'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { extraFileExtensions: ['.json'] },
    },
  },
);
