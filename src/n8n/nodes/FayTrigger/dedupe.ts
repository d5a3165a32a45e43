// Event ids already handled, kept in the workflow's static data: n8n saves it with the workflow,
// so it survives restarts and is shared by every main/worker process in queue mode (process
// memory would be neither). Bounded by age and count; Fay's redeliveries come within minutes and
// older events are refused as stale anyway.
import type { IDataObject } from 'n8n-workflow';

const KEY = 'recentEventIds';
export const MAX_REMEMBERED_EVENTS = 1000;
export const REMEMBER_EVENTS_MS = 3_600_000;

interface SeenEvent {
  id: string;
  at: number;
}

function recentEvents(staticData: IDataObject, nowMs: number): SeenEvent[] {
  const stored = staticData[KEY];
  if (!Array.isArray(stored)) return [];
  return (stored as unknown[]).filter(
    (e): e is SeenEvent =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as SeenEvent).id === 'string' &&
      typeof (e as SeenEvent).at === 'number' &&
      (e as SeenEvent).at > nowMs - REMEMBER_EVENTS_MS,
  );
}

/** True when `id` was handled before; otherwise remembers it and returns false. */
export function isRepeatedEvent(staticData: IDataObject, id: string, nowMs: number): boolean {
  const recent = recentEvents(staticData, nowMs);
  if (recent.some((e) => e.id === id)) return true;
  recent.push({ id, at: nowMs });
  // Assigned (not mutated in place) so n8n notices the change and saves it.
  staticData[KEY] = recent.slice(-MAX_REMEMBERED_EVENTS) as unknown as IDataObject[];
  return false;
}
