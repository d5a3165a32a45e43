// Diagnostics: always to stderr (stdout is the JSON-RPC channel), and as MCP logging
// notifications once the client has asked for them with logging/setLevel.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SetLevelRequestSchema, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../research/context.js';

const SEVERITY: Record<LoggingLevel, number> = {
  debug: 0,
  info: 1,
  notice: 2,
  warning: 3,
  error: 4,
  critical: 5,
  alert: 6,
  emergency: 7,
};

export function createLogger(server: McpServer, redact: (text: string) => string): Logger {
  // The SDK would forward every level as soon as logging is declared; MCP log notifications go
  // out only once the client enables them, so we own logging/setLevel.
  let clientLevel: LoggingLevel | undefined;
  server.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    clientLevel = request.params.level;
    return {};
  });
  return {
    log(level, message) {
      const text = redact(message);
      if (SEVERITY[level] >= SEVERITY.info) process.stderr.write(`fay-mcp ${level}: ${text}\n`);
      if (clientLevel !== undefined && SEVERITY[level] >= SEVERITY[clientLevel]) {
        server.sendLoggingMessage({ level, logger: 'fay-mcp', data: text }).catch(() => {
          // The client went away; stderr already has the line.
        });
      }
    },
  };
}
