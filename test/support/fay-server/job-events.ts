// Turns lazy job states into webhook events: a light timer notices transitions while jobs are live.
import { enteredAt, isFinal, isoTimestamp, stateAt, statusPayload } from './jobs.ts';
import { newEventId, type WebhookSender } from './webhooks.ts';
import type { Job, JobState, WebhookEvent } from './types.ts';

const TICK_MS = 20;
const ORDER: readonly JobState[] = ['PENDING', 'PROCESSING'];

export class JobEvents {
  private readonly sender: WebhookSender;
  private readonly now: () => number;
  private readonly output: (job: Job) => unknown;
  /** Live jobs and the last state announced for each (undefined: not announced yet). */
  private readonly live = new Map<Job, JobState | undefined>();
  private readonly sending = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(sender: WebhookSender, now: () => number, output: (job: Job) => unknown) {
    this.sender = sender;
    this.now = now;
    this.output = output;
  }

  /** A job was created or stopped: announce it now and keep watching it. */
  track(job: Job): void {
    if (!this.live.has(job)) this.live.set(job, undefined);
    this.check();
    if (this.live.size > 0 && !this.timer) {
      this.timer = setInterval(() => this.check(), TICK_MS).unref();
    }
  }

  check(): void {
    const nowMs = this.now();
    for (const [job, announced] of this.live) {
      const state = stateAt(job, nowMs);
      if (state === announced) continue;
      for (const passed of passedStates(announced, state)) this.announce(job, passed);
      this.live.set(job, state);
      if (isFinal(state)) this.live.delete(job);
    }
    if (this.live.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Sends an event unless filtered out; the delivery is tracked so close() can wait for it. */
  emit(event: WebhookEvent): Promise<unknown> | undefined {
    if (!this.sender.wants(event.type)) return undefined;
    const sent = this.sender.send(event).finally(() => this.sending.delete(sent));
    this.sending.add(sent);
    return sent;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.live.clear();
    this.sender.close();
    await Promise.allSettled([...this.sending]);
  }

  private announce(job: Job, state: JobState): void {
    // Data as of the moment of the transition, so a late tick still reports the right timestamps.
    const at = enteredAt(job, state) ?? this.now();
    const status = statusPayload(job, at, state);
    this.emit(event('Status', status));
    const completedAt = isoTimestamp(at);
    const base = {
      request_id: job.requestId,
      conversation_id: status.conversation_id,
      status: state,
    };
    if (state === 'COMPLETED') {
      this.emit(event('Output', { ...base, output: this.output(job), completed_at: completedAt }));
    } else if (state === 'FAILED') {
      this.emit(
        event('Error', { ...base, error_message: job.errorMessage, completed_at: completedAt }),
      );
    }
  }
}

// `created` uses the real clock: receivers check it against theirs to refuse replays.
function event(type: WebhookEvent['type'], data: Record<string, unknown>): WebhookEvent {
  return { id: newEventId(), type, created: Math.floor(Date.now() / 1000), data };
}

/** The states entered since `from`, in order, ending with `to` (a jump can skip PROCESSING). */
function passedStates(from: JobState | undefined, to: JobState): JobState[] {
  if (to === 'STOPPED') return [to];
  const start = from === undefined ? 0 : ORDER.indexOf(from) + 1;
  const end = isFinal(to) ? ORDER.length : ORDER.indexOf(to);
  return [...ORDER.slice(start, end), to];
}
