// Splitting long answers into parts (src/mcp/research/parts.ts): the time to split a 2 MB answer
// (a Markdown report, one 2 MB line, a structured answer), next to JSON.stringify of the same
// text, the least any server pays to send it once. Goal: under 50 ms. The two alternate run by
// run (so load from other processes hits both alike); figures are medians.
// Part of `npm run bench`; alone: `node test/bench/run.ts parts`.
import { splitAnswer } from '../../src/mcp/research/parts.ts';
import { longLine, longMarkdown } from '../support/fay-server/long-output.ts';
import { structuredOutput } from '../support/fay-server/output.ts';
import { fixed, pass, type BenchTable } from './support.ts';

const SIZE = 2_000_000;
const PART = 72_000;
const RUNS = 21;
const GOAL_MS = 50;

const FINDINGS = {
  type: 'object',
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        // Not in sorted order, as Fay's answers are not: the split sorts every object's keys.
        properties: {
          url: { type: 'string', format: 'uri' },
          score: { type: 'number' },
          claim: { type: 'string' },
        },
      },
    },
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function ms(run: () => unknown): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export default async function parts(): Promise<BenchTable[]> {
  const answers: Array<[string, unknown]> = [
    ['Markdown report', longMarkdown('bench report', SIZE)],
    ['one 2 MB line', longLine('bench line', SIZE)],
    ['structured (JSON)', structuredOutput('bench json', FINDINGS, SIZE)],
  ];
  const rows = answers.map(([label, answer]) => {
    const text = typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2);
    const split: number[] = [];
    const stringify: number[] = [];
    let count = 0;
    for (let i = 0; i < RUNS; i += 1) {
      split.push(ms(() => (count = splitAnswer(answer, PART).parts.length)));
      stringify.push(ms(() => JSON.stringify(text)));
    }
    const ours = median(split);
    return [
      label,
      fixed(text.length / 1e6, 2),
      String(count),
      fixed(ours),
      fixed(median(stringify)),
      `< ${GOAL_MS}`,
      pass(ours < GOAL_MS),
    ];
  });
  return [
    {
      title: `Long answers: splitting a 2 MB answer into parts of ${PART.toLocaleString('en')} weighted characters (median of ${RUNS})`,
      columns: ['answer', 'MB', 'parts', 'split (ms)', 'JSON.stringify (ms)', 'goal', 'goal met'],
      rows,
      notes: ['JSON.stringify: of the same text, as a server does once to send it'],
    },
  ];
}
