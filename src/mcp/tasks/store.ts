// The MCP task store, kept by Fay. A fay_research task is its Fay job: the task id IS the job's
// request_id, and every answer is read from Fay with the caller's key. So any replica (or a
// restarted server) serves tasks/get, tasks/result and tasks/cancel for any task, nothing is held in
// memory between requests, and a key that did not start the job gets "task not found" (Fay answers
// 404 for another account's request_id). methods.ts answers those methods from this store.
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
  type JobStatus,
} from '../../core/index.js';
import type { ToolContext } from '../research/context.js';
import { readResearch, researchResult } from '../research/read.js';
import { errorResult } from '../research/state.js';
import { stopResearch } from '../research/stop.js';
import { taskOf, taskOfStatus, taskStatusOf } from './task.js';

/** What the store reads Fay with, says things with and tells the time by. */
export type TaskStoreContext = Pick<ToolContext, 'client' | 'config' | 'log' | 'describe' | 'now'>;

/**
 * A task read this recently is answered again without asking Fay: reads in quick succession (a
 * tasks/get right after another, the SDK's own reads around a task call) spend one status call.
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
  #lastRead: { task: Task; status: JobStatus; at: number } | undefined;

  constructor(ctx: TaskStoreContext) {
    this.#ctx = ctx;
  }

  /** Tasks are created with their Fay job by the tool (tools/research.ts), never here. */
  createTask(_options: CreateTaskOptions): Promise<Task> {
    return Promise.reject(new Error('A Fay task is created with its research, by fay_research.'));
  }

  async getTask(taskId: string): Promise<Task | null> {
    try {
      return (await this.readTask(taskId))?.task ?? null;
    } catch (error) {
      throw new McpError(ErrorCode.InternalError, this.#ctx.describe(error));
    }
  }

  /**
   * The task and its job's status, read from Fay (or as cancelled here, or read under a second
   * ago); null for an id this key cannot read. Fay's failures are thrown as they are.
   */
  async readTask(
    taskId: string,
    signal?: AbortSignal,
  ): Promise<{ task: Task; status: JobStatus } | null> {
    const cancelled = this.#cancelled.get(taskId);
    if (cancelled) return { task: cancelled, status: 'STOPPED' };
    const recent = this.#lastRead;
    if (recent?.task.taskId === taskId && this.#ctx.now() - recent.at < REREAD_AFTER_MS) {
      return recent;
    }
    try {
      const now = this.#ctx.now();
      const status = await (await this.#ctx.client()).getStatus(taskId, { signal });
      this.#lastRead = { task: taskOfStatus(status, now), status: status.status, at: now };
      return this.#lastRead;
    } catch (error) {
      // Not a request_id, or not one this key may read: the same answer, no task.
      if (error instanceof FayNotFoundError || error instanceof FayValidationError) return null;
      throw error;
    }
  }

  getTaskResult(taskId: string): Promise<CallToolResult> {
    return this.readTaskResult(taskId);
  }

  /** The result a plain fay_research call would give for the job in its final state. */
  async readTaskResult(taskId: string, signal?: AbortSignal): Promise<CallToolResult> {
    try {
      const state = await readResearch(this.#ctx, await this.#ctx.client(), taskId, signal);
      if (state.status === 'FAILED') {
        return errorResult(
          this.#ctx,
          new FayResearchFailedError(taskId, state.error_message ?? null),
        );
      }
      return researchResult(this.#ctx, state);
    } catch (error) {
      if (error instanceof FayNotFoundError || error instanceof FayValidationError) {
        throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
      }
      // Cut short by the caller's deadline: the caller words it (tasks/methods.ts).
      if (signal?.aborted) throw error;
      return errorResult(this.#ctx, error);
    }
  }

  /** Fay keeps the result: nothing to store. */
  async storeTaskResult(_taskId: string, _status: Task['status'], _result: Result): Promise<void> {}

  /** Changes come only through cancel (tasks/cancel, tasks/methods.ts). */
  async updateTaskStatus(_taskId: string, _status: Task['status']): Promise<void> {}

  /**
   * tasks/cancel: stops the Fay job first (a status read that hangs must not keep the stop from
   * being sent), within `signal` and the stop's own bound, and answers how that went. A failed or
   * unconfirmed stop still cancels the task and says what to do about the job; a job that had
   * already finished is left as it is (a terminal task cannot be cancelled).
   */
  async cancel(taskId: string, signal: AbortSignal): Promise<Task> {
    const read = this.#lastRead?.task.taskId === taskId ? this.#lastRead.task : undefined;
    this.#lastRead = undefined;
    const client = await this.#ctx.client();
    let message: string;
    try {
      const state = await stopResearch(client, taskId, signal);
      if (state.status !== 'STOPPED') {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Cannot cancel task in terminal status: ${taskStatusOf(state.status)}`,
        );
      }
      message = `Cancelled; Fay research ${taskId} is ${state.status}.`;
    } catch (error) {
      if (error instanceof McpError) throw error;
      if (error instanceof FayNotFoundError || error instanceof FayValidationError) {
        throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
      }
      message =
        error instanceof FayStopNotConfirmedError
          ? `Cancelled, but ${this.#ctx.describe(error)}`
          : `Cancelled, but stopping Fay research ${taskId} failed: ${this.#ctx.describe(error)} Stop it with fay_stop_research.`;
      this.#ctx.log.log('warning', message);
    }
    // The task's dates, read after the stop when Fay answers in time.
    const createdAt =
      read?.createdAt ??
      (await client.getStatus(taskId, { signal }).then(
        (status) => status.createdAt,
        () => null,
      ));
    const at = this.#ctx.now();
    const now = new Date(at).toISOString();
    const task = {
      ...taskOf({ requestId: taskId, status: 'STOPPED', createdAt: createdAt ?? now }, at),
      lastUpdatedAt: now,
      statusMessage: message,
    };
    this.#cancelled.set(taskId, task);
    return task;
  }

  /** No replica knows which tasks a caller made: the list is empty (see the file comment). */
  async listTasks(): Promise<{ tasks: Task[] }> {
    return { tasks: [] };
  }
}
