// The MCP task store, kept by Fay. A fay_research task is its Fay job: the task id IS the job's
// request_id, and every answer is read from Fay with the caller's key. So any replica (or a
// restarted server) serves tasks/get, tasks/result and tasks/cancel for any task, nothing is held in
// memory between requests, and a key that did not start the job gets "task not found" (Fay answers
// 404 for another account's request_id). The SDK serves those methods straight from this store.
//
// What it cannot promise: tasks/list lists nothing (no replica knows which tasks a caller made;
// keep the ids), and a task has no expiry of ours (ttl null: it lasts as long as Fay keeps the job).
import type {
  CreateTaskOptions,
  TaskStore,
} from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import {
  ErrorCode,
  McpError,
  type CallToolResult,
  type Result,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import {
  FayNotFoundError,
  FayResearchFailedError,
  FayStopNotConfirmedError,
  FayValidationError,
  STOP_CONFIRM_TIMEOUT_MS,
} from '../../core/index.js';
import type { ToolContext } from '../research/context.js';
import { readResearch } from '../research/read.js';
import { errorResult, stateResult } from '../research/state.js';
import { stopResearch } from '../research/stop.js';
import { taskOf, taskOfStatus } from './task.js';

/** What the store reads Fay with, says things with and tells the time by. */
export type TaskStoreContext = Pick<ToolContext, 'client' | 'log' | 'describe' | 'now'>;

/**
 * A task read this recently is answered again without asking Fay: the SDK's tasks/result reads the
 * task twice in a row each round, and tasks/cancel reads it before and after the stop.
 */
const REREAD_AFTER_MS = 1_000;

export class FayTaskStore implements TaskStore {
  readonly #ctx: TaskStoreContext;
  /**
   * Tasks cancelled through this server instance, as the cancel left them. Only the cancel's own
   * answer (and, over stdio, later reads on the same connection) see them; it keeps the outcome
   * of a stop Fay did not confirm, which Fay cannot tell.
   */
  readonly #cancelled = new Map<string, Task>();
  /** The last task read from Fay, and when (see REREAD_AFTER_MS; the cancelled task's dates). */
  #lastRead: { task: Task; at: number } | undefined;

  constructor(ctx: TaskStoreContext) {
    this.#ctx = ctx;
  }

  /** Tasks are created with their Fay job by the tool (tools/research.ts), never here. */
  createTask(_options: CreateTaskOptions): Promise<Task> {
    return Promise.reject(new Error('A Fay task is created with its research, by fay_research.'));
  }

  async getTask(taskId: string): Promise<Task | null> {
    const cancelled = this.#cancelled.get(taskId);
    if (cancelled) return cancelled;
    const recent = this.#lastRead;
    if (recent?.task.taskId === taskId && this.#ctx.now() - recent.at < REREAD_AFTER_MS) {
      return recent.task;
    }
    try {
      const now = this.#ctx.now();
      const task = taskOfStatus(await (await this.#ctx.client()).getStatus(taskId), now);
      this.#lastRead = { task, at: now };
      return task;
    } catch (error) {
      // Not a request_id, or not one this key may read: the same answer, no task.
      if (error instanceof FayNotFoundError || error instanceof FayValidationError) return null;
      throw new McpError(ErrorCode.InternalError, this.#ctx.describe(error));
    }
  }

  /** The result a plain fay_research call would give for the job in its final state. */
  async getTaskResult(taskId: string): Promise<CallToolResult> {
    try {
      const state = await readResearch(await this.#ctx.client(), taskId);
      if (state.status === 'FAILED') {
        return errorResult(
          this.#ctx,
          new FayResearchFailedError(taskId, state.error_message ?? null),
        );
      }
      return stateResult(state);
    } catch (error) {
      if (error instanceof FayNotFoundError || error instanceof FayValidationError) {
        throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
      }
      return errorResult(this.#ctx, error);
    }
  }

  /** Fay keeps the result: nothing to store. */
  async storeTaskResult(_taskId: string, _status: Task['status'], _result: Result): Promise<void> {}

  /**
   * The only change a client makes is tasks/cancel: it stops the Fay job (for at most the stop's
   * own bound) and answers how that went. A failed or unconfirmed stop still cancels the task and
   * says what to do about the job.
   */
  async updateTaskStatus(taskId: string, status: Task['status']): Promise<void> {
    if (status !== 'cancelled') return;
    const read = this.#lastRead?.task.taskId === taskId ? this.#lastRead.task : undefined;
    this.#lastRead = undefined;
    let message: string;
    try {
      // The stop is bounded by the core (STOP_CONFIRM_TIMEOUT_MS); so is the status read after an
      // "already finished" answer, by this signal.
      const bound = AbortSignal.timeout(2 * STOP_CONFIRM_TIMEOUT_MS);
      const state = await stopResearch(await this.#ctx.client(), taskId, bound);
      // It had finished meanwhile (COMPLETED or FAILED): nothing was cancelled, and later reads
      // show the job as it is, so its answer can still be fetched.
      if (state.status !== 'STOPPED') return;
      message = `Cancelled; Fay research ${taskId} is ${state.status}.`;
    } catch (error) {
      message =
        error instanceof FayStopNotConfirmedError
          ? `Cancelled, but ${this.#ctx.describe(error)}`
          : `Cancelled, but stopping Fay research ${taskId} failed: ${this.#ctx.describe(error)} Stop it with fay_stop_research.`;
      this.#ctx.log.log('warning', message);
    }
    const at = this.#ctx.now();
    const now = new Date(at).toISOString();
    this.#cancelled.set(taskId, {
      ...taskOf({ requestId: taskId, status: 'STOPPED', createdAt: read?.createdAt ?? now }, at),
      lastUpdatedAt: now,
      statusMessage: message,
    });
  }

  /** No replica knows which tasks a caller made: the list is empty (see the file comment). */
  async listTasks(): Promise<{ tasks: Task[] }> {
    return { tasks: [] };
  }
}
