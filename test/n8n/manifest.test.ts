// The n8n package's manifest (src/n8n/package.json) against the sources beside it: every file its
// "n8n" section lists has its source (dist/X.js → X.ts, the mapping n8n's lint rules use) and
// exports the class n8n will look for, nodes use only this package's credentials, icons and codex
// files exist; and the manifest is what n8n Cloud takes: no dependencies, n8n-workflow the only
// peer, strict, nothing but nodes and credentials, the version of the repository's release.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ICredentialType, INodeType } from 'n8n-workflow';
import { PACKAGE_VERSION } from '../../src/core/internal.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const root = path.join(repo, 'src', 'n8n');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  n8n: { n8nNodesApiVersion: number; strict: boolean; credentials: string[]; nodes: string[] };
  [field: string]: unknown;
};

/** dist/x/Y.node.js → src/n8n/x/Y.node.ts, and the class name n8n requires from it. */
function source(distPath: string) {
  const file = path.join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
  const className = path.basename(distPath).replace(/\.(node|credentials)\.js$/, '');
  return { file, className };
}

async function load<T>(distPath: string): Promise<{ instance: T; file: string }> {
  const { file, className } = source(distPath);
  const module = (await import(file)) as Record<string, new () => T>;
  return { instance: new module[className](), file };
}

function iconFiles(icon: unknown, file: string): string[] {
  const icons = typeof icon === 'string' ? [icon] : Object.values(icon as Record<string, string>);
  return icons.map((i) => path.resolve(path.dirname(file), i.replace(/^file:/, '')));
}

describe('package.json "n8n" section', () => {
  it('lists the credential and both nodes, with sources that export the expected classes', async () => {
    expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
    const credentials = await Promise.all(pkg.n8n.credentials.map((p) => load<ICredentialType>(p)));
    const nodes = await Promise.all(pkg.n8n.nodes.map((p) => load<INodeType>(p)));
    const credentialNames = credentials.map(({ instance }) => instance.name);
    expect(credentialNames).toEqual(['fayApi']);
    expect(nodes.map(({ instance }) => instance.description.name)).toEqual(['fay', 'fayTrigger']);

    for (const { instance, file } of [...credentials, ...nodes]) {
      const icon = 'description' in instance ? instance.description.icon : instance.icon;
      const [light, dark] = iconFiles(icon, file);
      expect(existsSync(light) && existsSync(dark)).toBe(true);
      expect(readFileSync(light, 'utf8')).not.toBe(readFileSync(dark, 'utf8'));
    }
    for (const { instance, file } of nodes) {
      for (const { name } of instance.description.credentials ?? []) {
        expect(credentialNames).toContain(name);
      }
      const codex = JSON.parse(readFileSync(file.replace(/\.ts$/, '.json'), 'utf8')) as {
        node: string;
      };
      expect(codex.node).toBe(`${pkg.name}.${instance.description.name}`);
    }
  });
});

describe('the n8n package manifest', () => {
  it('has no dependencies, n8n-workflow as its only peer, strict mode and no bin', () => {
    expect(pkg.name).toBe('n8n-nodes-fay');
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
    expect(pkg.n8n.strict).toBe(true);
    expect(pkg.bin).toBeUndefined();
    expect(pkg.files).toEqual(['dist']);
    expect([...pkg.n8n.nodes, ...pkg.n8n.credentials].every((p) => p.startsWith('dist/'))).toBe(
      true,
    );
  });

  it('is released with the version of the repository (fay-mcp, and the core it bundles)', () => {
    const root = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    expect(root.name).not.toBe(pkg.name); // n8n's scanner takes the first package with our name
    expect(pkg.version).toBe(root.version);
    expect(PACKAGE_VERSION).toBe(root.version); // kept equal by scripts/version.ts
  });
});
