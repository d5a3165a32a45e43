// The MCP task store. The SDK serves tasks/get, tasks/result, tasks/list and tasks/cancel straight
// from the store given to the server, and a tasks/cancel only marks the task 'cancelled' there.
// The issue wants a cancelled task to stop its Fay job, so this store runs the task's stop action
// before recording the cancellation: tasks/cancel answers once Fay has confirmed the stop (or after
// at most 10 s without a confirmation), and the task's status message says how the stop went (if
// it failed or was not confirmed, what to do about the job).
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import type {
  CreateTaskOptions,
  TaskStore,
} from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { Request, RequestId, Result, Task } from '@modelcontextprotocol/sdk/types.js';

export class StoppingTaskStore implements TaskStore {
  readonly #tasks = new InMemoryTaskStore();
  readonly #stopActions = new Map<string, () => Promise<string>>();

  /** Registers what cancelling `taskId` must do; `stop` resolves to the task's status message. */
  onCancel(taskId: string, stop: () => Promise<string>): void {
    this.#stopActions.set(taskId, stop);
  }

  /** Called when the task ended by itself: nothing is left to stop. */
  settled(taskId: string): void {
    this.#stopActions.delete(taskId);
  }

  async updateTaskStatus(
    taskId: string,
    status: Task['status'],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    let message = statusMessage;
    const stop = status === 'cancelled' ? this.#stopActions.get(taskId) : undefined;
    if (stop) {
      this.#stopActions.delete(taskId);
      message = await stop();
    }
    await this.#tasks.updateTaskStatus(taskId, status, message, sessionId);
  }

  createTask(
    taskParams: CreateTaskOptions,
    requestId: RequestId,
    request: Request,
    sessionId?: string,
  ): Promise<Task> {
    return this.#tasks.createTask(taskParams, requestId, request, sessionId);
  }

  getTask(taskId: string, sessionId?: string): Promise<Task | null> {
    return this.#tasks.getTask(taskId, sessionId);
  }

  storeTaskResult(
    taskId: string,
    status: 'completed' | 'failed',
    result: Result,
    sessionId?: string,
  ): Promise<void> {
    return this.#tasks.storeTaskResult(taskId, status, result, sessionId);
  }

  getTaskResult(taskId: string, sessionId?: string): Promise<Result> {
    return this.#tasks.getTaskResult(taskId, sessionId);
  }

  listTasks(cursor?: string, sessionId?: string): Promise<{ tasks: Task[]; nextCursor?: string }> {
    return this.#tasks.listTasks(cursor, sessionId);
  }

  /** Clears the stores' expiry timers so the process can exit. */
  dispose(): void {
    this.#tasks.cleanup();
    this.#stopActions.clear();
  }
}
