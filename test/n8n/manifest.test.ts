// package.json's "n8n" section against the sources, for this layout (src/n8n → dist/n8n), which
// the community-node lint rules cannot map (see eslint.config.mjs): every listed file has its
// source and exports the class n8n will look for, nodes use only this package's credentials, and
// icons and codex files exist beside what the build copies.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ICredentialType, INodeType } from 'n8n-workflow';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  n8n: { n8nNodesApiVersion: number; credentials: string[]; nodes: string[] };
};

/** dist/n8n/x/Y.node.js → src/n8n/x/Y.node.ts, and the class name n8n requires from it. */
function source(distPath: string) {
  const file = path.join(root, distPath.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'));
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
