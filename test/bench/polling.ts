// Status calls and detection lag of the default schedule (pollDelayMs) next to the
// docs' fixed 2 s loop, simulated for jobs of 30 s / 2 min / 10 min / 30 min. Real job lengths
// vary, so each figure is the mean over 10 000 jobs whose end is spread evenly over ±10 % of the
// nominal length (i.e. over every phase of the poll grid).
import { pollDelayMs } from '../../dist/core/index.js';
import { fixed, pass, type BenchTable } from './support.ts';

const JOBS = [
  { label: '30 s', ms: 30_000, maxCalls: 12, maxLagS: 3 },
  { label: '2 min', ms: 120_000, maxCalls: 22, maxLagS: 10 },
  { label: '10 min', ms: 600_000, maxCalls: 40, maxLagS: 20 },
  { label: '30 min', ms: 1_800_000, maxCalls: 80, maxLagS: 20 },
];
const SAMPLES = 10_000;

/** Polls a job ending at `endMs` (wait starts at 0, sleeps first): calls made and lag. */
function simulate(endMs: number, delayMs: (elapsedMs: number) => number) {
  let t = 0;
  let calls = 0;
  for (;;) {
    t += delayMs(t);
    calls += 1;
    if (t >= endMs) return { calls, lagMs: t - endMs };
  }
}

function mean(jobMs: number, delayMs: (elapsedMs: number) => number) {
  let calls = 0;
  let lagMs = 0;
  for (let i = 0; i < SAMPLES; i += 1) {
    const end = jobMs * (0.9 + (0.2 * (i + 0.5)) / SAMPLES);
    const r = simulate(end, delayMs);
    calls += r.calls;
    lagMs += r.lagMs;
  }
  return { calls: calls / SAMPLES, lagS: lagMs / SAMPLES / 1000 };
}

export default async function polling(): Promise<BenchTable[]> {
  const rows = JOBS.map((job) => {
    const ours = mean(job.ms, pollDelayMs);
    const docs = mean(job.ms, () => 2_000);
    return [
      job.label,
      fixed(ours.calls),
      fixed(docs.calls),
      `≤ ${job.maxCalls}`,
      fixed(ours.lagS),
      fixed(docs.lagS),
      `≤ ${job.maxLagS}`,
      pass(ours.calls <= job.maxCalls && ours.lagS <= job.maxLagS),
    ];
  });
  return [
    {
      title: 'Polling: default schedule vs the docs’ 2 s loop (mean over 10 000 job lengths ±10 %)',
      columns: [
        'job',
        'calls ours',
        'calls 2 s loop',
        'target',
        'lag ours (s)',
        'lag 2 s loop (s)',
        'target',
        'targets',
      ],
      rows,
      notes: [
        'schedule: 3 s, then 15 % of the time waited so far, at most 30 s (src/core/schedule.ts)',
      ],
    },
  ];
}
