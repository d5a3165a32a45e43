// npm's `version` lifecycle script (`npm version 1.2.3` runs it after bumping package.json, before
// its commit and tag): one version for everything a release ships. It copies the root
// package.json's version into the n8n package's manifest, the core's version constant (the
// User-Agent; the bundled n8n node may not read package.json at run time) and server.json (the
// registry entry and its npm package; `npm run mcpb -- --release` records the bundle itself).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const readJson = (path: string) =>
  JSON.parse(readFileSync(at(path), 'utf8')) as Record<string, unknown>;
const writeJson = (path: string, value: unknown) =>
  writeFileSync(at(path), `${JSON.stringify(value, null, 2)}\n`);

const { version } = readJson('package.json') as { version: string };

const n8n = readJson('src/n8n/package.json');
writeJson('src/n8n/package.json', { ...n8n, version });

const versionFile = at('src/core/version.ts');
const source = readFileSync(versionFile, 'utf8');
const updated = source.replace(/PACKAGE_VERSION = '[^']*'/, `PACKAGE_VERSION = '${version}'`);
if (updated === source && !source.includes(`PACKAGE_VERSION = '${version}'`)) {
  throw new Error('src/core/version.ts: no PACKAGE_VERSION constant to update');
}
writeFileSync(versionFile, updated);

const server = readJson('server.json') as {
  version: string;
  packages: Array<{ registryType: string; version?: string }>;
};
server.version = version;
for (const entry of server.packages) {
  if (entry.registryType === 'npm') entry.version = version;
}
writeJson('server.json', server);
process.stdout.write(`src/n8n/package.json, src/core/version.ts and server.json at ${version}\n`);
