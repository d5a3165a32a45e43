// A stdio client that sends and stops reading: 30,000 tools/list requests (each answer is several
// KB) with the server's stdout never read. The server must stop reading stdin while stdout is full,
// so its memory stays bounded (without backpressure it reads every request and holds every
// answer), and still answer every request once the client reads again.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it, onTestFinished } from 'vitest';
import { API_KEY, builtBin } from '../support/mcp.ts';

const REQUESTS = 30_000;
/** Far above what one read of stdin can queue, far below the answers to every request at once. */
const MAX_GROWTH_MB = 150;

/** The resident memory of process `pid`, in MB (Linux). */
function rssMb(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it(`${REQUESTS} tools/list from a client that stops reading: memory stays bounded, all answered`, async () => {
  const child = spawn(process.execPath, [builtBin()], {
    env: { FAY_API_KEY: API_KEY, FAY_BASE_URL: 'http://127.0.0.1:9' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill();
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  while (!stderr.includes('fay-mcp: ready')) await pause(50);
  child.stdout.pause(); // the client stops reading
  const baseline = rssMb(child.pid!);

  // In writes of 100 requests, so what the server has not read yet shows in writableLength.
  let sent = 0;
  for (let first = 0; first < REQUESTS; first += 100) {
    const lines = Array.from(
      { length: 100 },
      (_, index) =>
        `${JSON.stringify({ jsonrpc: '2.0', id: first + index + 1, method: 'tools/list' })}\n`,
    );
    child.stdin.write(lines.join(''), () => (sent += 100));
  }

  // Until the server has read everything, or has stopped reading (stdin unchanged for 2 s).
  let peak = baseline;
  let stalled = 0;
  let pending = child.stdin.writableLength;
  while (sent < REQUESTS && stalled < 4) {
    await pause(500);
    peak = Math.max(peak, rssMb(child.pid!));
    stalled = child.stdin.writableLength === pending ? stalled + 1 : 0;
    pending = child.stdin.writableLength;
  }
  expect(sent).toBeLessThan(REQUESTS);
  expect(peak - baseline).toBeLessThan(MAX_GROWTH_MB);

  // The client reads again: every request is answered.
  let answered = 0;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    answered += lines.length;
  });
  child.stdout.resume();
  while (answered < REQUESTS) await pause(100);
  expect(stderr).not.toContain('MaxListenersExceededWarning');
}, 120_000);
