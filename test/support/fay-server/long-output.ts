// Long research answers, as deep research writes them: many sections of prose with links,
// tables, fenced code (blank lines inside), nested lists, emoji (ZWJ sequences and flags
// included) and CJK passages. Stable per prompt. Asked for with [fay:long=<characters>] (and
// [fay:longline=<characters>]: one line with no line break at all).
import { intBetween, pick, randomFromText, type Random } from './random.ts';

const SENTENCES = [
  'Several independent sources agree on the main trend, although their figures differ.',
  'The 2023 survey covered 4,200 respondents across 31 countries, weighted by population.',
  'Costs fell by roughly 18% a year over the decade, faster than most forecasts assumed.',
  'Regional differences are large: the north grew twice as fast as the south.',
  'Experts disagree on the causes but not on the magnitude of the change.',
  'Early adopters reported “surprisingly low” maintenance costs — a claim later studies qualify.',
  'The regulator’s 2024 guidance changed how the figures are reported, so series break there.',
  'Données publiques : la croissance était de 3,4 % en moyenne, selon l’institut national.',
  'Die Ergebnisse sind robust gegenüber den üblichen Annahmen über die Nachfrage.',
];
const CJK = [
  '根据多项独立研究，该市场在过去十年中保持了稳定增长，年均增长率约为百分之七。',
  '专家认为，政策支持和技术进步是主要驱动因素，但区域差异仍然明显。',
  '調査によると、導入企業の約六割がコスト削減を実感していると回答した。',
  '연구 결과에 따르면 지역별 차이가 크며, 수도권의 성장률이 가장 높았다.',
];
const EMOJI = ['🌍', '📈', '✅', '👩‍🔬', '🇫🇷', '🇯🇵', '👍🏽', '⚠️'];
const HOSTS = [
  'https://en.wikipedia.org/wiki/',
  'https://www.example-research.org/reports/',
  'https://doi.example.org/10.5555/',
  'https://data.example.gov/datasets/',
];
const TOPICS = ['Market overview', 'Costs', 'Adoption', 'Regulation', 'Outlook', '市场概况'];

function sentence(random: Random, n: number): string {
  const text = pick(random, SENTENCES);
  if (random() < 0.3) {
    return `${text} See [source ${n}](${pick(random, HOSTS)}item-${n}) ${pick(random, EMOJI)}.`;
  }
  return text;
}

function paragraph(random: Random, n: number): string {
  const sentences = Array.from({ length: intBetween(random, 2, 6) }, (_, i) =>
    sentence(random, n + i),
  );
  // Some paragraphs wrap their lines, as many writers do.
  return sentences.join(random() < 0.3 ? '\n' : ' ');
}

function table(random: Random): string {
  const rows = intBetween(random, 3, 25);
  const lines = ['| Region | Share | Change | Note |', '|---|---:|---:|:---|'];
  for (let i = 0; i < rows; i += 1) {
    lines.push(
      `| ${pick(random, ['North', 'South', '東京', 'Île-de-France'])} | ${intBetween(random, 1, 99)}% | ` +
        `${intBetween(random, -20, 40)}% | ${pick(random, ['stable', 'rising', '上升', 'n/a'])} |`,
    );
  }
  return lines.join('\n');
}

function code(random: Random): string {
  const fence = random() < 0.8 ? '```' : '~~~';
  const body = [
    'import pandas as pd',
    '',
    '# Load the survey (a blank line follows on purpose)',
    'data = pd.read_csv("survey.csv")',
    '',
    '',
    '## not a heading: we are inside a fence',
    '| not | a | table |',
    '- not a list item',
    'print(data.groupby("region").share.mean())',
  ];
  const lines = body.slice(0, intBetween(random, 4, body.length));
  return [`${fence}python`, ...lines, fence].join('\n');
}

function list(random: Random, n: number): string {
  const items: string[] = [];
  for (let i = 0; i < intBetween(random, 3, 8); i += 1) {
    items.push(`- **Point ${i + 1}.** ${sentence(random, n + i)}`);
    if (random() < 0.3) items.push(`  ${pick(random, SENTENCES)}`);
    if (random() < 0.2) items.push('', `  ${pick(random, SENTENCES)}`);
    if (random() < 0.2) items.push(`  1. ${pick(random, CJK)}`, `  2. ${pick(random, SENTENCES)}`);
  }
  return items.join('\n');
}

function section(random: Random, index: number): string {
  const blocks = [`## ${index}. ${pick(random, TOPICS)} ${pick(random, EMOJI)}`];
  for (let i = 0; i < intBetween(random, 2, 6); i += 1) {
    const kind = random();
    if (kind < 0.45) blocks.push(paragraph(random, index * 10 + i));
    else if (kind < 0.6) blocks.push(table(random));
    else if (kind < 0.72) blocks.push(code(random));
    else if (kind < 0.87) blocks.push(list(random, index * 10 + i));
    else
      blocks.push(
        Array.from({ length: intBetween(random, 2, 8) }, () => pick(random, CJK)).join(''),
      );
    if (random() < 0.15) blocks.push(`### ${index}.${i + 1} ${pick(random, TOPICS)}`);
  }
  return blocks.join('\n\n');
}

/** A Markdown report of at least `chars` characters (a little more: it ends with its sources). */
export function longMarkdown(prompt: string, chars: number): string {
  const random = randomFromText(prompt);
  const sections = [`# Research report ${pick(random, EMOJI)}`, paragraph(random, 0)];
  let length = 0;
  for (let i = 1; length < chars; i += 1) {
    const next = section(random, i);
    sections.push(next);
    length += next.length + 2;
  }
  sections.push(
    '## Sources',
    HOSTS.map((host, i) => `${i + 1}. [${host.split('/')[2]}](${host}report)`).join('\n'),
  );
  return `${sections.join('\n\n')}\n`;
}

/** One line of `chars` characters: prose, CJK and emoji, no line break. */
export function longLine(prompt: string, chars: number): string {
  const random = randomFromText(prompt);
  let line = '';
  while (line.length < chars) {
    line +=
      random() < 0.2 ? pick(random, CJK) : `${pick(random, SENTENCES)} ${pick(random, EMOJI)} `;
  }
  return line;
}

/**
 * A schema for long structured answers: a list of findings ([fay:long=N] grows it). Its keys are
 * not in sorted order, as a user's often are not.
 */
export const FINDINGS_SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          url: { type: 'string', format: 'uri' },
          score: { type: 'number' },
          claim: { type: 'string' },
        },
      },
    },
  },
};
