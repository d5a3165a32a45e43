// Internal entry: what the MCP server and the n8n node share with the core but library users
// should not import (package.json exports only index.ts). The faces import the public API from
// index.ts and these from here.
export { promptSchema, validateClientOptions } from './input.js';
export { isLoopbackHost, validateBaseUrl } from './network.js';
export { redactError, redactText, REDACTED } from './redact.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
export {
  describePause,
  failureReason,
  inSentence,
  lastStatusNote,
  stopNotConfirmed,
  utcMinute,
} from './wording.js';
