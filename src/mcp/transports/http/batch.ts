// JSON-RPC batches: MCP removed them in protocol 2025-06-18. A client speaking that version or
// later (its mcp-protocol-version header) has its batch refused before anything runs; an older
// client's batch is served with each of its calls counted in flight, so one POST cannot start
// more calls at once than FAY_MCP_MAX_CALLS_IN_FLIGHT allows.
import { isJSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { Refusal } from './refusal.js';

const BATCHES_REMOVED_IN = '2025-06-18';
const INVALID_REQUEST = -32600;

/** How many calls `body` makes (at least 1); throws a 400 Refusal for a batch its version forbids. */
export function callsIn(body: unknown, protocolVersion: string | string[] | undefined): number {
  if (!Array.isArray(body)) return 1;
  const version = Array.isArray(protocolVersion) ? protocolVersion[0] : protocolVersion;
  // Versions are dates: they compare as text.
  if (version !== undefined && version >= BATCHES_REMOVED_IN) {
    throw new Refusal(
      400,
      `Invalid Request: MCP ${version} has no JSON-RPC batches (removed in ${BATCHES_REMOVED_IN}); send one message per POST.`,
      {},
      { code: INVALID_REQUEST },
    );
  }
  return Math.max(1, body.filter((message) => isJSONRPCRequest(message)).length);
}
