// Builds dist/: tsc for the code, then the n8n assets tsc does not copy
// (icons, codex files, and the package.json that makes dist/n8n CommonJS,
// because n8n loads nodes and credentials with require()).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, rmSync } from 'node:fs';

// From scratch, so no file of an older build is ever packed.
rmSync('dist', { recursive: true, force: true });

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {
  stdio: 'inherit',
});
cpSync('src/n8n', 'dist/n8n', {
  recursive: true,
  filter: (source) => !source.endsWith('.ts'),
});
// The MCP server's bin is run directly (npx, MCP clients): keep it executable.
chmodSync('dist/mcp/bin.js', 0o755);
