// fay_start_research / fay_get_research / fay_stop_research, the research resources, and
// task-augmented fay_research (create, get, result, cancel → the Fay job is stopped). In process
// and in virtual time; each test has its own Fay server and session.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { FayServer } from '../support/fay-server.ts';
import {
  callTool,
  inProcessSession,
  localFay,
  pollUntilFinal,
  settle,
  stateOf,
  textOf,
  useVirtualTime,
  type InProcessSession,
} from '../support/mcp.ts';

useVirtualTime();

const local = {} as { fay: FayServer; session: InProcessSession };
beforeEach(async () => {
  local.fay = await localFay();
  local.session = await inProcessSession(local.fay);
});

function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return settle(callTool(local.session, name, args));
}

/** Lets pending promises run (real event-loop turns, no virtual time) until `found` gives a value. */
async function until<T>(found: () => T | undefined): Promise<T> {
  for (let turn = 0; turn < 1000; turn++) {
    const value = found();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('until: never found');
}

function jobOf(requestId: string) {
  const job = local.fay.jobs.get(requestId);
  if (!job) throw new Error(`no job ${requestId} on the Fay server`);
  return job;
}

describe('start, get, stop', () => {
  it('starts at once, reports status, then the answer once COMPLETED', async () => {
    const started = await call('fay_start_research', { prompt: 'Battery recycling' });
    expect(started.isError).toBeFalsy();
    const { request_id: id, status } = stateOf(started);
    expect(status).toBe('PENDING');
    expect(textOf(started)).toContain(`fay_get_research with request_id "${id}"`);

    const running = await call('fay_get_research', { request_id: id });
    expect(['PENDING', 'PROCESSING', 'COMPLETED']).toContain(stateOf(running).status);

    const done = await settle(pollUntilFinal(local.session.client, id));
    expect(stateOf(done)).toMatchObject({ request_id: id, status: 'COMPLETED' });
    expect(textOf(done)).toContain('# Research: Battery recycling');
  });

  it('gives the error message of a FAILED job', async () => {
    const { request_id: id } = stateOf(
      await call('fay_start_research', { prompt: 'Bad job [fay:fail]' }),
    );
    const failed = await settle(pollUntilFinal(local.session.client, id));
    expect(failed.isError).toBeFalsy();
    expect(stateOf(failed).status).toBe('FAILED');
    expect(stateOf(failed).error_message).toBeTruthy();
    expect(textOf(failed)).toContain(stateOf(failed).error_message);
  });

  it('stops a running job, and answers a second stop clearly', async () => {
    const { request_id: id } = stateOf(
      await call('fay_start_research', { prompt: 'Endless [fay:never]' }),
    );
    const stopped = await call('fay_stop_research', { request_id: id });
    expect(stopped.isError).toBeFalsy();
    expect(stateOf(stopped)).toMatchObject({ request_id: id, status: 'STOPPED' });
    expect(jobOf(id).stoppedAtMs).not.toBeNull();

    const again = await call('fay_stop_research', { request_id: id });
    expect(again.isError).toBeFalsy();
    expect(stateOf(again).status).toBe('STOPPED');
    expect(textOf(again)).toMatch(/already finished \(STOPPED\), so nothing was stopped/);
  });

  it("a client's cancel of fay_stop_research abandons the stop request at once", async () => {
    const { request_id: id } = stateOf(
      await call('fay_start_research', { prompt: 'Abandoned stop [fay:never]' }),
    );
    // Fay takes the stop but answers late (well before the core's own 30 s attempt timeout).
    local.fay.injectFault({ endpoint: 'stop', kind: 'slow', delayMs: 20_000 });
    const cancel = new AbortController();
    const stopping = local.session.client.callTool(
      { name: 'fay_stop_research', arguments: { request_id: id } },
      undefined,
      { signal: cancel.signal },
    );
    const stop = await until(() =>
      local.fay.requests.find((r) => r.endpoint === 'stop' && r.requestId === id),
    );
    cancel.abort();
    await expect(stopping).rejects.toThrow();
    // The call's signal reached the stop: it was dropped instead of awaiting the answer.
    await until(() => stop.statusCode);
    expect(stop.statusCode).toBe('dropped');
    expect(local.fay.calls({ requestId: id }).stop).toBe(1);
  });

  it('answers an unknown request_id as an error result', async () => {
    const result = await call('fay_get_research', {
      request_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Fay has no research/);
  });
});

describe('resources', () => {
  it('lists researches started here and reads one as fay://research/{request_id}', async () => {
    const { request_id: id } = stateOf(
      await call('fay_start_research', { prompt: 'Listed research' }),
    );
    const { resourceTemplates } = await local.session.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('fay://research/{request_id}');

    const { resources } = await local.session.client.listResources();
    const listed = resources.find((r) => r.uri === `fay://research/${id}`);
    expect(listed).toMatchObject({ title: 'Listed research', mimeType: 'application/json' });

    await settle(pollUntilFinal(local.session.client, id));
    const read = await local.session.client.readResource({ uri: `fay://research/${id}` });
    const content = read.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('application/json');
    const state = JSON.parse(content.text) as { status: string; output: string };
    expect(state.status).toBe('COMPLETED');
    expect(state.output).toContain('# Research: Listed research');
  });
});

describe('tasks', () => {
  async function createTask(prompt: string) {
    const { task } = await local.session.client.request(
      { method: 'tools/call', params: { name: 'fay_research', arguments: { prompt } } },
      CreateTaskResultSchema,
      { task: { ttl: 60_000 } },
    );
    return task;
  }

  it('creates a task at once; tasks/get follows the job; tasks/result has the answer', async () => {
    const task = await createTask('Task topic [fay:duration=2000]');
    expect(task.status).toBe('working');

    const result = await settle(
      local.session.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema),
    );
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('# Research: Task topic');
    expect(stateOf(result).status).toBe('COMPLETED');

    const finished = await local.session.client.experimental.tasks.getTask(task.taskId);
    expect(finished.status).toBe('completed');
    // The task is the Fay job: its id is the request_id, every read comes from Fay.
    const id = stateOf(result).request_id;
    expect(task.taskId).toBe(id);
    expect(finished.statusMessage).toBe(`Fay research ${id} is COMPLETED.`);
    // No server keeps a list of tasks (any replica may have made them): tasks/list is not offered.
    expect(local.session.client.getServerCapabilities()?.tasks?.list).toBeUndefined();
  });

  it('tasks/result spends status calls on the poll schedule, never two reads in a row', async () => {
    const task = await createTask('Long task topic [fay:duration=7000]');
    expect(task.pollInterval).toBe(3_000); // the core's schedule, at the start
    await settle(
      local.session.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema),
    );
    const reads = local.fay.requests
      .filter((r) => r.endpoint === 'status' && r.requestId === task.taskId)
      .map((r) => r.at);
    // The last read (found COMPLETED) is followed at once by getTaskResult's own: leave it out.
    const waiting = reads.slice(0, -1);
    expect(waiting.length).toBeGreaterThan(1);
    const gaps = waiting.slice(1).map((at, i) => at - waiting[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
  });

  /** The job is created before the task is answered; the task's status message names it. */
  async function jobOfTask(taskId: string): Promise<string> {
    const { statusMessage } = await local.session.client.experimental.tasks.getTask(taskId);
    return /^Fay research ([0-9a-f-]{36}) is/.exec(statusMessage ?? '')![1]!;
  }

  it('tasks/cancel stops the Fay job', async () => {
    const task = await createTask('Cancelled task [fay:never]');
    const requestId = await jobOfTask(task.taskId);
    expect(jobOf(requestId).prompt).toBe('Cancelled task [fay:never]');

    const cancelled = await settle(local.session.client.experimental.tasks.cancelTask(task.taskId));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.statusMessage).toBe(`Cancelled; Fay research ${requestId} is STOPPED.`);
    // tasks/cancel answers once Fay has confirmed the stop.
    expect(jobOf(requestId).stoppedAtMs).not.toBeNull();
    expect(local.fay.calls({ requestId }).stop).toBe(1);
    const state = stateOf(await call('fay_get_research', { request_id: requestId }));
    expect(state.status).toBe('STOPPED');
  });

  it('a cancel whose stop fails still cancels the task, and says how to stop the job', async () => {
    const task = await createTask('Hard to stop [fay:never]');
    const requestId = await jobOfTask(task.taskId);
    // A Retry-After longer than the client accepts fails the stop at once.
    local.fay.injectFault({ endpoint: 'stop', kind: 'rate-limit', delayMs: 120_000 });
    const cancelled = await settle(local.session.client.experimental.tasks.cancelTask(task.taskId));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.statusMessage).toMatch(
      new RegExp(
        `^Cancelled, but stopping Fay research ${requestId} failed: Fay's rate limit .* Stop it with fay_stop_research\\.$`,
      ),
    );
    expect(jobOf(requestId).stoppedAtMs).toBeNull();
    await call('fay_stop_research', { request_id: requestId });
  });

  it('a stop Fay does not confirm within 10 s: the cancel and fay_stop_research say what to do', async () => {
    const task = await createTask('Slow to stop [fay:never]');
    const taskJob = await jobOfTask(task.taskId);
    const { request_id: callJob } = stateOf(
      await call('fay_start_research', { prompt: 'Slow to stop too [fay:never]' }),
    );
    // Fay takes both stops but never answers in time (the core alone would retry for minutes).
    local.fay.injectFault({ endpoint: 'stop', kind: 'slow', delayMs: 600_000, times: 2 });
    const [cancelled, stopped] = await settle(
      Promise.all([
        local.session.client.experimental.tasks.cancelTask(task.taskId),
        callTool(local.session, 'fay_stop_research', { request_id: callJob }),
      ]),
    );
    const notConfirmed = (id: string) =>
      `Fay did not confirm within 10 s that research ${id} stopped, so it may still be running. ` +
      'Check it with fay_get_research and, if it is still PENDING or PROCESSING, call ' +
      'fay_stop_research again.';
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.statusMessage).toBe(`Cancelled, but ${notConfirmed(taskJob)}`);
    expect(stopped.isError).toBe(true);
    expect(textOf(stopped)).toBe(notConfirmed(callJob));
    // One stop each, given up on rather than retried.
    expect(local.fay.calls({ requestId: taskJob }).stop).toBe(1);
    expect(local.fay.calls({ requestId: callJob }).stop).toBe(1);
  });

  it('a task with bad arguments is refused before any task, with the message naming the field', async () => {
    await expect(createTask('')).rejects.toThrow(
      /Invalid arguments for tool fay_research: prompt is empty: write the question to research\. at prompt$/,
    );
    expect(local.session.calls()).toEqual({ create: 0, status: 0, output: 0, stop: 0 });
  });
});
