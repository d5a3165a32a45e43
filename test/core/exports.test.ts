// The root export is the public API alone: what only the faces share with the core comes from the
// internal entry, which the package does not export.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/core/index.ts';
import * as internal from '../../src/core/internal.ts';

describe('package entries', () => {
  it('the root export carries none of the internal entry', () => {
    const leaked = Object.keys(internal).filter((name) => name in root);
    expect(leaked).toEqual([]);
    expect(Object.keys(internal)).toEqual(
      expect.arrayContaining(['redactText', 'validateBaseUrl', 'isLoopbackHost', 'lastStatusNote']),
    );
  });

  it('package.json exports the root entry only, as fay-mcp/client', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(Object.keys(pkg.exports)).toEqual(['./client', './package.json']);
    expect(pkg.exports['./client'].default).toBe('./dist/core/index.js');
  });
});
