// What a shipped artifact must hold of the build: the built MCP server is a folder (main.js loads
// its chunks from beside it), so the package and the bundle are compared with it file by file.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/mcp, the built MCP server. */
export const BUILT_SERVER = fileURLToPath(new URL('../../../dist/mcp', import.meta.url));

/** The files under `dir`, as paths relative to it with `/` separators, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).replaceAll('\\', '/'))
    .sort();
}
