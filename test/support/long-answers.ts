// Shared by the long-answer tests over stdio, HTTP and other clients: the limit a whole result
// stays under, and reading every part of an answer with fay_get_research.
import { expect } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FayServer } from './fay-server.ts';

/** A whole tool result, as JSON, stays under this by default (what docs/mcp.md promises). */
export const LIMIT = 80_000;

/** The result's size as sent: text blocks and structuredContent, as JSON. */
function resultSize(result: CallToolResult): number {
  return JSON.stringify({ content: result.content, structuredContent: result.structuredContent })
    .length;
}

export function expectWithinLimit(result: CallToolResult, limit = LIMIT): void {
  expect(result.isError).toBeFalsy();
  expect(resultSize(result)).toBeLessThan(limit);
}

export interface PartFacts {
  request_id: string;
  status: string;
  part: number;
  parts: number;
}

export function partsOf(result: CallToolResult): PartFacts {
  return result.structuredContent as unknown as PartFacts;
}

/**
 * Every part of an answer, in order: part 1 from `first`, the others with fay_get_research and
 * `part`. Each result is checked: within the limit, its first text block the part itself, its
 * note naming part k of n.
 */
export async function readAllParts(
  client: Client,
  requestId: string,
  parts: number,
  first: CallToolResult,
  limit = LIMIT,
): Promise<string[]> {
  const texts: string[] = [];
  for (let part = 1; part <= parts; part += 1) {
    const result =
      part === 1
        ? first
        : ((await client.callTool({
            name: 'fay_get_research',
            arguments: { request_id: requestId, part },
          })) as CallToolResult);
    expectWithinLimit(result, limit);
    expect(partsOf(result)).toMatchObject({ request_id: requestId, part, parts });
    const [text, note] = result.content as Array<{ type: string; text: string }>;
    expect(note?.text).toContain(`part ${part} of ${parts}`);
    texts.push(text!.text);
  }
  return texts;
}

/** How long a job may take to complete before untilCompleted gives up. */
const COMPLETION_DEADLINE_MS = 30_000;

/**
 * Waits, on the local Fay server's own clock and without calling its API, until a job is done;
 * throws (instead of polling on after the test has timed out) past the deadline.
 */
export async function untilCompleted(fay: FayServer, requestId: string): Promise<void> {
  const deadline = Date.now() + COMPLETION_DEADLINE_MS;
  while (fay.jobState(requestId) !== 'COMPLETED') {
    if (Date.now() > deadline) {
      throw new Error(
        `${requestId} is ${fay.jobState(requestId) ?? 'unknown'} after ${COMPLETION_DEADLINE_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
