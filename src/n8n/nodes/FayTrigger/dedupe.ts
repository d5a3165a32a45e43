// Which event ids a Fay Trigger already accepted. n8n gives a webhook no atomic store (its
// processed-data store reaches execute contexts only), so the record lives in two places:
// - the workflow's static data, the durable record: n8n saves it to its database when the node
//   answers the delivery itself, so it survives restarts and every n8n process reads it;
// - this process's memory, a copy of what it accepted: deliveries running at the same moment in
//   one process each read the database before the other saved, and memory is what tells them
//   apart (and keeps one save from dropping the id another just added).
// An id needs remembering only while its event could still pass the staleness check; after that
// a redelivery is refused as stale anyway. The count bound keeps each save small.
import type { IDataObject } from 'n8n-workflow';

const KEY = 'acceptedEvents';
export const MAX_REMEMBERED_EVENTS = 1000;

/** Event id → the unix second after which a redelivery of it is refused as stale. */
type Remembered = Map<string, number>;

/** Per trigger (workflow id + node name): the ids this process accepted, newest expiry last. */
const acceptedHere = new Map<string, Remembered>();

/** The triggers this process still remembers ids for. */
export function scopesRemembered(): string[] {
  return [...acceptedHere.keys()];
}

/** Forgets triggers whose every id has expired (removed or renamed triggers would stay forever). */
function sweep(nowSeconds: number): void {
  for (const [scope, ids] of acceptedHere) {
    let newest = -Infinity;
    for (const expiry of ids.values()) newest = Math.max(newest, expiry);
    if (newest < nowSeconds) acceptedHere.delete(scope);
  }
}

/**
 * Entries are "<expiry> <id>" strings, not objects: n8n wraps every object in static data in a
 * change-tracking proxy each time it loads a workflow, and a thousand of them would cost each
 * delivery.
 */
function stored(staticData: IDataObject): string[] {
  const value = staticData[KEY];
  return Array.isArray(value) ? value.filter((e): e is string => typeof e === 'string') : [];
}

function remembered(staticData: IDataObject, scope: string, nowSeconds: number): Remembered {
  const all: Remembered = new Map(acceptedHere.get(scope));
  for (const entry of stored(staticData)) {
    const space = entry.indexOf(' ');
    const expiry = Number(entry.slice(0, space));
    if (space > 0 && Number.isFinite(expiry)) all.set(entry.slice(space + 1), expiry);
  }
  for (const [id, expiry] of all) if (expiry < nowSeconds) all.delete(id);
  return all;
}

export interface AcceptedEvent {
  id: string;
  /** Unix seconds, as Fay signed it. */
  created: number;
}

/**
 * True when `event` was not accepted before: then it is recorded (static data and this process)
 * and the caller starts the workflow. Synchronous, so two copies in one process cannot both pass.
 */
export function acceptOnce(
  staticData: IDataObject,
  scope: string,
  event: AcceptedEvent,
  toleranceSeconds: number,
  nowSeconds: number,
): boolean {
  sweep(nowSeconds);
  const all = remembered(staticData, scope, nowSeconds);
  if (all.has(event.id)) return false;
  all.set(event.id, event.created + toleranceSeconds);
  const kept = [...all].sort((a, b) => a[1] - b[1]).slice(-MAX_REMEMBERED_EVENTS);
  acceptedHere.set(scope, new Map(kept));
  // Assigned, not mutated in place, so n8n marks the static data changed and saves it.
  staticData[KEY] = kept.map(([id, expiry]) => `${expiry} ${id}`);
  return true;
}
