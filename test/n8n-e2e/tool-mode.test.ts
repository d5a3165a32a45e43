// The Fay node as an AI Agent tool, offline: loaded from the release tarball installed as n8n
// installs it, in a process that resolves n8n-workflow and zod from n8n 2.41.1's node_modules
// (NODE_PATH, as n8n runs community packages), then turned into its tool variant by n8n's own
// tool generation. The tool must exist and describe itself, and every parameter a model may be
// asked to fill must say what it is for.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { childEnv, ensureN8n, type N8nInstall } from './support/n8n-install.ts';
import { stagePackage, type StagedPackage } from './support/package-stage.ts';
import { SETUP_TIMEOUT_MS } from './support/suite.ts';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./support/tool-description.ts', import.meta.url));

let install: N8nInstall;
let pkg: StagedPackage | undefined;
beforeAll(async () => {
  pkg = await stagePackage();
  install = await ensureN8n();
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await pkg?.dispose();
});

it('loads in tool mode with a description and described parameters', async () => {
  const n8nModules = join(install.dir, 'node_modules');
  const { stdout } = await run(process.execPath, [SCRIPT, pkg!.root, n8nModules], {
    env: childEnv({ NODE_PATH: n8nModules }),
  });
  const { usableAsTool, tool } = JSON.parse(stdout) as {
    usableAsTool: unknown;
    tool: INodeTypeDescription;
  };
  expect(pkg!.installed).toEqual([]); // nothing beside n8n's own modules
  expect(usableAsTool).toBe(true);
  expect(tool.name).toBe('fayTool');
  expect(tool.outputs).toEqual(['ai_tool']);
  const toolDescription = tool.properties.find((p) => p.name === 'toolDescription');
  expect(toolDescription?.default).toMatch(/research/i);

  // What a model fills: every parameter of every operation, options included.
  const fields = (properties: INodeProperties[]): INodeProperties[] =>
    properties.flatMap((p) => [
      p,
      ...fields((p.options ?? []).filter((o): o is INodeProperties => 'displayName' in o)),
    ]);
  const undescribed = fields(tool.properties)
    .filter((p) => !['resource', 'operation', 'descriptionType', 'options'].includes(p.name))
    .filter((p) => p.type !== 'notice' && !p.description?.trim())
    .map((p) => p.name);
  expect(undescribed).toEqual([]);
});
