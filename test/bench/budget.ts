// The status budget (statusCallsPerHour), simulated on virtual time: concurrent waits polling on
// the default schedule through the real StatusBudget, with today's pacing (every wait spaced
// `waits × 1 h ÷ budget` from its first poll) next to the budget that spends its room first.
// Each wait starts right after its create and polls as FayClient does (the budget's tryTake, or
// a sleep until the oldest call leaves the hour); a job is found at the first poll at or after
// its end.
import { HOUR_MS, StatusBudget } from '../../dist/core/budget.js';
import { pollDelayMs } from '../../dist/core/index.js';
import { busiestHour } from '../support/sliding-hour.ts';
import { fixed, pass, type BenchTable } from './support.ts';

type Pacing = 'today' | 'room first' | 'no budget';

interface Scenario {
  label: string;
  perHour: number;
  jobs: number;
  jobMs: number;
  /** The longest a job may go unnoticed after it ends. */
  maxLagMs: number;
}

const SCENARIOS: Scenario[] = [
  { label: '20/h, 3 × 15 s', perHour: 20, jobs: 3, jobMs: 15_000, maxLagMs: 15_000 },
  { label: '100/h, 10 × 10 min', perHour: 100, jobs: 10, jobMs: 600_000, maxLagMs: 900_000 },
  { label: '100/h, 3 × 10 min', perHour: 100, jobs: 3, jobMs: 600_000, maxLagMs: 900_000 },
  { label: '100/h, 5 × 30 min', perHour: 100, jobs: 5, jobMs: 1_800_000, maxLagMs: 900_000 },
  { label: '100/h, 1 × 2 min', perHour: 100, jobs: 1, jobMs: 120_000, maxLagMs: 30_000 },
  { label: '100/h, 1 × 10 min', perHour: 100, jobs: 1, jobMs: 600_000, maxLagMs: 30_000 },
];

interface Outcome {
  calls: number;
  busiestHour: number;
  maxLagMs: number;
}

export function simulate(s: Scenario, pacing: Pacing): Outcome {
  let now = 0;
  const perHour = pacing === 'no budget' ? Number.MAX_SAFE_INTEGER : s.perHour;
  const budget = new StatusBudget(
    perHour,
    async () => {},
    () => now,
  );
  let running = 0;
  const spacing = () =>
    pacing === 'today' ? (running * HOUR_MS) / perHour : budget.pollSpacingMs();
  const delay = (elapsedMs: number) => Math.max(pollDelayMs(elapsedMs), spacing());
  // The waits start one after another (as concurrent creates return), each with its first delay.
  const waits = Array.from({ length: s.jobs }, () => {
    running += 1;
    budget.enterWait();
    return { next: delay(0), foundAt: -1 };
  });
  const calls: number[] = [];
  for (;;) {
    const open = waits.filter((w) => w.foundAt < 0);
    if (open.length === 0) break;
    const wait = open.reduce((a, b) => (b.next < a.next ? b : a));
    now = wait.next;
    const blockedMs = budget.tryTake();
    if (blockedMs > 0) {
      wait.next = now + blockedMs;
      continue;
    }
    calls.push(now);
    if (now >= s.jobMs) {
      wait.foundAt = now;
      running -= 1;
      continue;
    }
    wait.next = now + delay(now);
  }
  return {
    calls: calls.length,
    busiestHour: busiestHour(calls),
    maxLagMs: Math.max(...waits.map((w) => w.foundAt - s.jobMs)),
  };
}

const minutes = (ms: number) =>
  ms >= 60_000 ? `${fixed(ms / 60_000)} min` : `${fixed(ms / 1000)} s`;

export default async function budget(): Promise<BenchTable[]> {
  const rows = SCENARIOS.map((s) => {
    const today = simulate(s, 'today');
    const ours = simulate(s, 'room first');
    const free = simulate(s, 'no budget');
    return [
      s.label,
      String(ours.calls),
      String(today.calls),
      `${ours.busiestHour} / ${today.busiestHour}`,
      minutes(ours.maxLagMs),
      minutes(today.maxLagMs),
      minutes(free.maxLagMs),
      `≤ ${minutes(s.maxLagMs)}`,
      pass(ours.busiestHour <= s.perHour && ours.maxLagMs <= s.maxLagMs),
    ];
  });
  return [
    {
      title: 'Status budget: room first vs today’s even pacing (virtual time, concurrent waits)',
      columns: [
        'budget, jobs',
        'calls ours',
        'calls today',
        'busiest hour ours / today',
        'worst lag ours',
        'worst lag today',
        'worst lag, no budget',
        'target',
        'targets',
      ],
      rows,
      notes: [
        'lag: from a job’s end to the poll that finds it; busiest hour: most status calls in any sliding hour',
        'room first: default schedule until only the waits’ reserve is left (src/core/budget.ts)',
      ],
    },
  ];
}
