// `npm run bench`: runs each bench module below in turn and prints its tables (ours next to the
// baseline). Needs dist/ (npm run bench builds first). To add a bench, add one line here.
import { formatTable, type Bench } from './support.ts';

const BENCHES = [
  './polling.ts',
  './budget.ts',
  './overhead.ts',
  './concurrency.ts',
  './mcp-cold-start.ts',
  './mcp-http.ts',
  './mcp-oauth.ts',
  './slow-clients.ts',
  './trigger-burst.ts',
  './install-size.ts',
  './parts.ts',
];

const only = process.argv.slice(2);
for (const path of BENCHES) {
  if (only.length > 0 && !only.some((o) => path.includes(o))) continue;
  const bench = ((await import(path)) as { default: Bench }).default;
  for (const table of await bench()) console.log(formatTable(table));
}
