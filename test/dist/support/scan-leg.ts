// One lint leg of n8n's scanner, in a process of its own as the scanner CLI runs it: its
// node-filename rules read NODE_ENV=test (which vitest sets) as "every file is Test.node.ts".
// Usage: node scan-leg.ts <package dir> <glob>...; prints the scanner's result as JSON.
import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [dir, ...patterns] = process.argv.slice(2);
const result = await analyzePackage(dir, patterns);
delete result.error; // an Error object does not survive JSON; its message is in `message`
process.stdout.write(JSON.stringify(result));
