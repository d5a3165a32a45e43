// The node's operations, in the order the editor lists them (alphabetical, as n8n's lint wants).
// Adding an operation: its `*.operation.ts` file, and one line here.
import type { FayOperation } from './context.js';
import { createOperation } from './create.operation.js';
import { getOutputOperation } from './getOutput.operation.js';
import { getStatusOperation } from './getStatus.operation.js';
import { stopOperation } from './stop.operation.js';

export const operations: FayOperation[] = [
  createOperation,
  getOutputOperation,
  getStatusOperation,
  stopOperation,
];
