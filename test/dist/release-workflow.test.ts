// The release workflow (.github/workflows/release.yml) parses as YAML, runs on version tags with
// the OIDC permission npm provenance needs, packs with `npm run pack`, and publishes both npm
// packages, each with --provenance, under names that are the packages' own.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const workflow = parse(read('../../.github/workflows/release.yml')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const commands = steps.flatMap((step) => (step.run ?? '').split('\n')).map((line) => line.trim());

it('runs on version tags with the id-token permission provenance needs', () => {
  expect(workflow.on.push.tags).toEqual(['v*']);
  expect(workflow.permissions['id-token']).toBe('write');
});

it('packs the release artifacts and publishes both npm packages with provenance', () => {
  expect(commands).toContain('npm run pack');
  const publishes = commands.filter((line) => line.startsWith('npm publish'));
  const names = [
    (JSON.parse(read('../../src/n8n/package.json')) as { name: string }).name,
    (JSON.parse(read('../../package.json')) as { name: string }).name,
  ];
  expect(names).toEqual(['n8n-nodes-fay', 'fay-mcp']);
  for (const name of names) {
    const publish = publishes.find((line) => line.includes(`release/${name}-$version.tgz`));
    expect(publish, `publishes ${name}`).toBeDefined();
    expect(publish).toContain('--provenance');
  }
  // The pack comes after the tests, the publishing after the pack.
  const at = (command: string) => commands.findIndex((line) => line.startsWith(command));
  expect(at('npm ci && npm test')).toBeLessThan(at('npm run pack'));
  expect(at('npm run pack')).toBeLessThan(at('npm publish'));
});
