// A fay_research task IS its Fay job: the task id is the job's request_id, and the task's state is
// read from the job's (see store.ts).
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { pollDelayMs, type ConversationStatus, type JobStatus } from '../../core/index.js';

const TASK_STATUS: Record<JobStatus, Task['status']> = {
  PENDING: 'working',
  PROCESSING: 'working',
  COMPLETED: 'completed',
  FAILED: 'failed',
  STOPPED: 'cancelled',
};

/** The task status of a Fay job status. */
export function taskStatusOf(status: JobStatus): Task['status'] {
  return TASK_STATUS[status] ?? 'working';
}

/** The task of a Fay job in the given state, as seen at `now` (epoch milliseconds). */
export function taskOf(
  job: {
    requestId: string;
    status: JobStatus;
    createdAt: string | null;
    updatedAt?: string | null;
  },
  now = Date.now(),
): Task {
  const createdAt = job.createdAt ?? new Date(now).toISOString();
  return {
    taskId: job.requestId,
    status: taskStatusOf(job.status),
    statusMessage: `Fay research ${job.requestId} is ${job.status}.`,
    createdAt,
    lastUpdatedAt: job.updatedAt ?? createdAt,
    ttl: null,
    // The core's poll schedule (3 s at first, up to 30 s apart): tasks/get by a client and the
    // SDK's own tasks/result wait then spend Fay's status calls as a wait of the core does.
    pollInterval: pollDelayMs(now - (Date.parse(createdAt) || now)),
  };
}

export function taskOfStatus(status: ConversationStatus, now?: number): Task {
  return taskOf({ ...status, updatedAt: status.completedAt ?? status.startedAt }, now);
}
