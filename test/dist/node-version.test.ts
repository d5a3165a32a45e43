// The suites run on the Node a run asks for: `npm run test:node22` sets FAY_TEST_NODE_MAJOR=22, so
// a silent fallback to the default Node would go unnoticed without this check.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const major = (version: string) => Number(/\d+/.exec(version)?.[0]);

it('runs on the requested Node major, never below the engines floor', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  };
  const current = major(process.versions.node);
  expect(current).toBeGreaterThanOrEqual(major(pkg.engines.node));
  const requested = process.env.FAY_TEST_NODE_MAJOR;
  if (requested) expect(current).toBe(Number(requested));
});
