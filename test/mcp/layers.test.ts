// The MCP face's folders are floors: a file imports only from its own folder or from a lower
// floor (src/core, outside src/mcp, is below them all). Across src: the core imports no face, a
// face imports the core only through its entries (index, portable, internal), and there are no
// import circles.
// Type-only imports count: a circle through types is still a circle for a reader.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');
const MCP = join(SRC, 'mcp');

/** Top floor first. The entries are the files directly in src/mcp (bin.ts, main.ts). */
const FLOORS: readonly (readonly string[])[] = [
  ['(entry)'],
  ['transports'],
  ['server'],
  ['tools'],
  ['tasks', 'resources'],
  ['research'],
  ['config'],
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The module specifiers a file imports (static, re-exported or dynamic), comments left out. */
function specifiersOf(file: string): string[] {
  const code = readFileSync(file, 'utf8')
    .replace(/^\s*\/\*[\s\S]*?\*\//gm, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

/** The src file a relative specifier names (a .js specifier names its .ts source). */
function resolved(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
  if (!existsSync(target)) throw new Error(`${relative(ROOT, from)} imports missing ${specifier}`);
  return target;
}

function graphOf(files: readonly string[]): Map<string, { specifier: string; target: string }[]> {
  return new Map(
    files.map((file) => [
      file,
      specifiersOf(file).flatMap((specifier) => {
        const target = resolved(file, specifier);
        return target ? [{ specifier, target }] : [];
      }),
    ]),
  );
}

/** The folder directly under src/mcp holding `file`, '(entry)' for src/mcp's own files, or
 * undefined outside src/mcp. */
function folderOf(file: string): string | undefined {
  const path = relative(MCP, file);
  if (path.startsWith('..')) return undefined;
  const parts = path.split(/[\\/]/);
  return parts.length === 1 ? '(entry)' : parts[0];
}

const floorOf = (folder: string) => FLOORS.findIndex((floor) => floor.includes(folder));

describe('src/mcp layers', () => {
  it('every folder of src/mcp is on a floor', () => {
    const folders = new Set(filesUnder(MCP).map((file) => folderOf(file)!));
    expect([...folders].filter((folder) => floorOf(folder) === -1)).toEqual([]);
  });

  it('imports point only down (or within a folder)', () => {
    const offending: string[] = [];
    for (const [file, imports] of graphOf(filesUnder(MCP))) {
      const from = folderOf(file)!;
      for (const { specifier, target } of imports) {
        const to = folderOf(target);
        if (to === undefined || to === from) continue; // src/core, or the same folder
        if (floorOf(to) <= floorOf(from)) {
          offending.push(`${relative(ROOT, file)} imports '${specifier}' (${from} → ${to})`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});

/** The face a src file belongs to ('core', 'mcp' or 'n8n'). */
const faceOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0]!;

/**
 * The core's entries: the public API on Node (index.ts), the same API without Node's facilities
 * (portable.ts), and what only the faces share with it (internal.ts).
 */
const CORE_ENTRIES = ['index.ts', 'portable.ts', 'internal.ts'].map((name) =>
  join(SRC, 'core', name),
);

describe('src', () => {
  it('the core imports no face, and no face imports the other', () => {
    const offending: string[] = [];
    for (const [file, imports] of graphOf(filesUnder(SRC))) {
      for (const { specifier, target } of imports) {
        const from = faceOf(file);
        const to = faceOf(target);
        if (to !== from && to !== 'core') {
          offending.push(`${relative(ROOT, file)} imports '${specifier}' (${from} → ${to})`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('the faces reach the core through its entries only (index.ts, portable.ts, internal.ts)', () => {
    const offending: string[] = [];
    for (const [file, imports] of graphOf(filesUnder(SRC))) {
      if (faceOf(file) === 'core') continue;
      for (const { specifier, target } of imports) {
        if (faceOf(target) === 'core' && !CORE_ENTRIES.includes(target)) {
          offending.push(`${relative(ROOT, file)} imports '${specifier}'`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('has no import circles', () => {
    const graph = graphOf(filesUnder(SRC));
    const circles: string[] = [];
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (file: string) => {
      const at = path.indexOf(file);
      if (at !== -1) {
        circles.push([...path.slice(at), file].map((f) => relative(ROOT, f)).join(' → '));
        return;
      }
      if (done.has(file)) return;
      path.push(file);
      for (const { target } of graph.get(file) ?? []) visit(target);
      path.pop();
      done.add(file);
    };
    for (const file of graph.keys()) visit(file);
    expect(circles).toEqual([]);
  });
});
