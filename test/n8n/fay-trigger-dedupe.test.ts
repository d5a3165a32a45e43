// What the Fay Trigger remembers of accepted events: each id while a redelivery could still pass
// the staleness check, at most MAX_REMEMBERED_EVENTS, kept in static data and in this process.
import { randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import {
  MAX_REMEMBERED_EVENTS,
  acceptOnce,
  scopesRemembered,
} from '../../src/n8n/nodes/FayTrigger/dedupe.ts';

const TOLERANCE = 300;
const NOW = 1_800_000_000;

/** A fresh trigger: its own scope in this process's memory. */
const newScope = () => `wf_${randomUUID()}:Fay Trigger`;

describe('Fay Trigger event memory', () => {
  it('accepts an id once, and again once a redelivery would be refused as stale', () => {
    const scope = newScope();
    const data: IDataObject = {};
    const event = { id: 'evt_1', created: NOW };
    expect(acceptOnce(data, scope, event, TOLERANCE, NOW)).toBe(true);
    expect(acceptOnce(data, scope, event, TOLERANCE, NOW + TOLERANCE)).toBe(false);
    // Past created + tolerance, verifyWebhook refuses the event before it gets here.
    expect(acceptOnce(data, scope, event, TOLERANCE, NOW + TOLERANCE + 1)).toBe(true);
  });

  it('finds an id in static data saved by another process, with nothing in this memory', () => {
    const saved: IDataObject = {};
    acceptOnce(saved, newScope(), { id: 'evt_elsewhere', created: NOW }, TOLERANCE, NOW);
    const loaded = JSON.parse(JSON.stringify(saved)) as IDataObject;
    const otherProcess = newScope();
    expect(
      acceptOnce(loaded, otherProcess, { id: 'evt_elsewhere', created: NOW }, TOLERANCE, NOW + 1),
    ).toBe(false);
    expect(
      acceptOnce(loaded, otherProcess, { id: 'evt_new', created: NOW }, TOLERANCE, NOW + 1),
    ).toBe(true);
  });

  it('keeps ids this process accepted when it saves over a copy read before them', () => {
    const scope = newScope();
    const readFirst: IDataObject = {};
    const readSecond: IDataObject = {};
    acceptOnce(readFirst, scope, { id: 'evt_a', created: NOW }, TOLERANCE, NOW);
    acceptOnce(readSecond, scope, { id: 'evt_b', created: NOW }, TOLERANCE, NOW);
    expect(readSecond.acceptedEvents).toEqual([
      `${NOW + TOLERANCE} evt_a`,
      `${NOW + TOLERANCE} evt_b`,
    ]);
  });

  it(`keeps at most ${MAX_REMEMBERED_EVENTS} ids, dropping those that expire first`, () => {
    const scope = newScope();
    const data: IDataObject = {};
    for (let i = 0; i <= MAX_REMEMBERED_EVENTS; i++) {
      acceptOnce(data, scope, { id: `evt_${i}`, created: NOW + i }, TOLERANCE, NOW);
    }
    expect(data.acceptedEvents).toHaveLength(MAX_REMEMBERED_EVENTS);
    const fresh = JSON.parse(JSON.stringify(data)) as IDataObject;
    const elsewhere = newScope();
    expect(acceptOnce(fresh, elsewhere, { id: 'evt_1', created: NOW + 1 }, TOLERANCE, NOW)).toBe(
      false,
    );
    expect(acceptOnce(fresh, elsewhere, { id: 'evt_0', created: NOW }, TOLERANCE, NOW)).toBe(true);
  });

  it('ignores entries it cannot read instead of failing the delivery', () => {
    const data: IDataObject = { acceptedEvents: [42, 'no-expiry', 'x evt_bad', { id: 'evt_obj' }] };
    expect(acceptOnce(data, newScope(), { id: 'evt_ok', created: NOW }, TOLERANCE, NOW)).toBe(true);
    expect(data.acceptedEvents).toEqual([`${NOW + TOLERANCE} evt_ok`]);
  });
});

describe('Fay Trigger event memory in this process', () => {
  it('forgets a trigger once every id it accepted has expired', () => {
    const gone = newScope();
    const active = newScope();
    acceptOnce({}, gone, { id: 'evt_gone', created: NOW }, TOLERANCE, NOW);
    expect(scopesRemembered()).toContain(gone);
    acceptOnce({}, active, { id: 'evt_later', created: NOW + 10 }, TOLERANCE, NOW + 10);
    expect(scopesRemembered()).toContain(gone);
    acceptOnce({}, active, { id: 'evt_last', created: NOW + 10 }, TOLERANCE, NOW + TOLERANCE + 1);
    expect(scopesRemembered()).not.toContain(gone);
    expect(scopesRemembered()).toContain(active);
  });
});
