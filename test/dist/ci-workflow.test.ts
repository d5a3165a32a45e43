// The CI workflow (.github/workflows/ci.yml) runs the whole suite on every push and pull request:
// `npm test` carries the import-layer checks (test/mcp/layers.test.ts) along with everything else.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parse } from 'yaml';

interface Workflow {
  on: { push: { branches: string[] }; pull_request: unknown };
  jobs: Record<string, { steps: { run?: string }[] }>;
}

const workflow = parse(
  readFileSync(new URL('../../.github/workflows/ci.yml', import.meta.url), 'utf8'),
) as Workflow;

it('runs npm test on every push and pull request', () => {
  expect(workflow.on.push.branches).toEqual(['**']);
  expect('pull_request' in workflow.on).toBe(true);
  const commands = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .flatMap((step) => (step.run ?? '').split('\n'))
    .map((line) => line.trim());
  expect(commands).toContain('npm ci && npm test');
});

it('npm test runs vitest, so the layer checks, after build, typecheck and lint', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts.test).toMatch(/build.*typecheck.*lint.*vitest run/);
});
