// Runs the local Fay server by hand or for the demo / n8n e2e:
//   node test/support/fay-server-cli.ts [--port N] [--key K]... [--job-ms N]
//                                       [--webhook-url URL --webhook-secret S]
// First stdout line: FAY_BASE_URL=http://127.0.0.1:<port>. Requests are logged to stderr (never the key).
import { parseArgs } from 'node:util';
import { startFayServer, type FayServerOptions, type RecordedRequest } from './fay-server.ts';

function fail(message: string): never {
  process.stderr.write(`fay-server: ${message}\n`);
  process.exit(2);
}

function nonNegativeInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    fail(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function optionsFromArgs(argv: string[]): FayServerOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        key: { type: 'string', multiple: true },
        'job-ms': { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-secret': { type: 'string' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const webhookUrl = values['webhook-url'];
  const webhookSecret = values['webhook-secret'];
  if ((webhookUrl === undefined) !== (webhookSecret === undefined)) {
    fail('--webhook-url and --webhook-secret go together');
  }
  return {
    port: nonNegativeInt('port', values.port),
    apiKeys: values.key ?? ['fay_test_key'],
    jobDurationMs: nonNegativeInt('job-ms', values['job-ms']),
    webhook: webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : undefined,
  };
}

function logLine(r: RecordedRequest): string {
  const fault = r.fault ? ` [fault: ${r.fault}]` : '';
  return `${new Date().toISOString()} ${r.method} ${r.path} -> ${r.statusCode ?? '?'}${fault}\n`;
}

const server = await startFayServer({
  ...optionsFromArgs(process.argv.slice(2)),
  onRequest: (r) => process.stderr.write(logLine(r)),
});
process.stdout.write(`FAY_BASE_URL=${server.url}\n`);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
