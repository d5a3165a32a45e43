// Long answers in parts (src/mcp/research/parts.ts): pure, no server. Every split is checked for
// the promises a reader relies on: the parts join back exactly, each weighs at most the budget,
// and cuts fall between blocks, never inside a fence, a table or a list item, nor mid-line,
// nor inside a grapheme, whenever the part could avoid it.
import { describe, expect, it } from 'vitest';
import {
  splitAnswer,
  splitJson,
  splitMarkdown,
  weightOf,
  type SplitAnswer,
} from '../../src/mcp/research/parts.ts';
import { FINDINGS_SCHEMA, longLine, longMarkdown } from '../support/fay-server/long-output.ts';
import { structuredOutput } from '../support/fay-server/output.ts';
import { seededRandom, pick, intBetween, type Random } from '../support/fay-server/random.ts';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Offsets where part k+1 starts. */
function cutsOf(split: SplitAnswer): number[] {
  const cuts: number[] = [];
  let at = 0;
  for (const part of split.parts.slice(0, -1)) cuts.push((at += part.length));
  return cuts;
}

function graphemeBoundaries(text: string): Set<number> {
  return new Set([...graphemes.segment(text)].map((s) => s.index));
}

/** The promises every split keeps, whatever the text. */
function expectSound(text: string, split: SplitAnswer, budget: number): void {
  expect(split.parts.join('')).toBe(text);
  expect(split.text).toBe(text);
  for (const part of split.parts) {
    expect(part.length).toBeGreaterThan(0);
    expect(weightOf(part)).toBeLessThanOrEqual(budget);
  }
  const boundaries = graphemeBoundaries(text);
  for (const cut of cutsOf(split)) expect(boundaries.has(cut)).toBe(true);
}

/** Where each line starts, and whether it is inside a fence (a line-start oracle, not the splitter). */
function fenceState(text: string): Map<number, boolean> {
  const inside = new Map<number, boolean>();
  let open: string | undefined;
  let at = 0;
  for (const line of text.split('\n')) {
    inside.set(at, open !== undefined);
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && open === undefined) open = marker;
    else if (marker && open && marker[0] === open[0] && line.trim() === marker) open = undefined;
    at += line.length + 1;
  }
  return inside;
}

function lineAround(text: string, cut: number): { before: string; after: string } {
  const start = text.lastIndexOf('\n', cut - 2) + 1;
  const end = text.indexOf('\n', cut);
  return { before: text.slice(start, cut - 1), after: text.slice(cut, end < 0 ? undefined : end) };
}

describe('weight', () => {
  it('counts CJK and emoji as 4, other scripts as 2, ASCII as 1, and JSON escapes at their length', () => {
    expect(weightOf('a')).toBe(1);
    expect(weightOf('é')).toBe(2);
    expect(weightOf('Ж')).toBe(2);
    expect(weightOf('中')).toBe(4);
    expect(weightOf('한')).toBe(4);
    expect(weightOf('😀')).toBe(4);
    expect(weightOf('—’')).toBe(2);
    expect(weightOf('"\\\n')).toBe(6);
    expect(weightOf('\u0001')).toBe(6);
    expect(weightOf('\ud800')).toBe(6);
  });

  it('bounds the length of the text once written as JSON, whatever it holds', () => {
    const random = seededRandom(7);
    const alphabet = [
      'a',
      ' ',
      '"',
      '\\',
      '\n',
      '\t',
      '\u0000',
      '\u001f',
      'é',
      '中',
      '😀',
      '\ud83d',
      '\ude00',
      '\u2028',
    ];
    for (let i = 0; i < 200; i += 1) {
      const text = Array.from({ length: intBetween(random, 0, 50) }, () =>
        pick(random, alphabet),
      ).join('');
      expect(JSON.stringify(text).length - 2).toBeLessThanOrEqual(weightOf(text));
    }
  });
});

describe('short answers', () => {
  it('a Markdown answer within the budget is one part, unchanged, without outline', () => {
    const text = '# Title\n\nA short answer.\n';
    expect(splitMarkdown(text, 1000)).toEqual({ text, parts: [text], outline: [] });
  });

  it('a structured answer within the budget is the indented JSON in the order Fay sent it', () => {
    const value = { zeta: 1, alpha: [1, 2] };
    const split = splitAnswer(value, 1000);
    expect(split.parts).toEqual([JSON.stringify(value, null, 2)]);
  });
});

describe('a long Markdown report', () => {
  const report = longMarkdown('Heat pumps in Europe', 400_000);
  const budget = 20_000;
  const split = splitMarkdown(report, budget);

  it('joins back exactly, each part within the budget and cut on grapheme boundaries', () => {
    expectSound(report, split, budget);
    // Parts are not needlessly small: at most twice the minimum count, plus one.
    expect(split.parts.length).toBeLessThanOrEqual(2 * Math.ceil(weightOf(report) / budget) + 1);
  });

  it('cuts only at line starts, outside fences, tables and list items', () => {
    const fenced = fenceState(report);
    for (const cut of cutsOf(split)) {
      expect(report[cut - 1]).toBe('\n');
      expect(fenced.get(cut)).toBe(false);
      const { before, after } = lineAround(report, cut);
      expect(before.startsWith('|') && after.startsWith('|')).toBe(false);
      // A list item's continuation, nested item or indented paragraph starts with spaces.
      expect(after).not.toMatch(/^\s/);
    }
  });

  it('starts each part at a heading when one is in the back half of the part', () => {
    const atHeading = split.parts.slice(1).filter((part) => part.startsWith('#')).length;
    expect(atHeading).toBeGreaterThanOrEqual(split.parts.length - 2);
  });

  it('outlines the headings with the part each starts in, not the lines inside fences', () => {
    const fenced = fenceState(report);
    const headings: string[] = [];
    let at = 0;
    for (const line of report.split('\n')) {
      if (/^#{1,6} /.test(line) && !fenced.get(at)) headings.push(line);
      at += line.length + 1;
    }
    expect(split.outline.map((h) => h.title)).toEqual(headings.map((h) => h.replace(/^#+ /, '')));
    for (const { level, title, part } of split.outline) {
      const line = `${'#'.repeat(level)} ${title}\n`;
      expect(
        split.parts[part - 1]!.startsWith(line) || split.parts[part - 1]!.includes(`\n${line}`),
      ).toBe(true);
    }
    expect(split.outline.some((h) => h.title.includes('not a heading'))).toBe(false);
  });
});

describe('where a cut goes', () => {
  const filler = (n: number) => `${'word '.repeat(n / 5 - 1)}end.`;

  it('before a fence rather than at a blank line inside it', () => {
    const fence = ['```js', filler(200), '', filler(200), '', filler(100), '```'].join('\n');
    const text = `${filler(500)}\n\n${fence}\n\n${filler(300)}\n`;
    const split = splitMarkdown(text, 1000);
    expectSound(text, split, 1000);
    expect(split.parts[1]!.startsWith('```js\n')).toBe(true);
  });

  it('before a table rather than between its rows', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `| row ${i} | ${i * 7} |`);
    const text = `${filler(600)}\n\n| name | value |\n|---|---:|\n${rows.join('\n')}\n`;
    const split = splitMarkdown(text, 1000);
    expectSound(text, split, 1000);
    expect(split.parts[1]!.startsWith('| name |')).toBe(true);
  });

  it('between list items rather than inside one (continuation, blank line, nested list)', () => {
    const item = (i: number) =>
      `- Item ${i}: ${filler(100)}\n  continued\n\n  ${filler(100)}\n  1. nested\n  2. nested`;
    const text = `${Array.from({ length: 12 }, (_, i) => item(i)).join('\n')}\n`;
    const split = splitMarkdown(text, 1000);
    expectSound(text, split, 1000);
    for (const part of split.parts.slice(1)) expect(part).toMatch(/^- Item \d+:/);
  });

  it('before a heading in the back half of a part rather than at a later block boundary', () => {
    const text = `## A\n\n${filler(300)}\n\n${filler(300)}\n\n## B\n\n${filler(200)}\n\n${filler(600)}\n`;
    const split = splitMarkdown(text, 1000);
    expectSound(text, split, 1000);
    expect(split.parts[1]!.startsWith('## B\n')).toBe(true);
    expect(split.outline).toEqual([
      { level: 2, title: 'A', part: 1 },
      { level: 2, title: 'B', part: 2 },
    ]);
  });

  it('inside a fence when the fence alone is longer than a part, still at a line start', () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      i % 10 === 5 ? '' : `x = ${i} # ${filler(40)}`,
    );
    const text = `\`\`\`python\n${lines.join('\n')}\n\`\`\`\n`;
    const split = splitMarkdown(text, 1000);
    expectSound(text, split, 1000);
    for (const part of split.parts.slice(0, -1)) expect(part.endsWith('\n')).toBe(true);
  });

  it('mid-line only in a line longer than a part: after a space when there is one', () => {
    const text = longLine('One line', 100_000);
    const split = splitMarkdown(text, 20_000);
    expectSound(text, split, 20_000);
    expect(split.parts.length).toBeGreaterThan(5);
    const afterSpace = split.parts.slice(0, -1).filter((part) => /[\s。，]$/.test(part)).length;
    expect(afterSpace).toBeGreaterThanOrEqual(split.parts.length - 2);
  });

  it('never inside an emoji sequence, a flag or a combining mark, even with no space at all', () => {
    const text = '👩‍👩‍👧‍👦🇫🇷e\u0301中'.repeat(2_000);
    const split = splitMarkdown(text, 1_000);
    expectSound(text, split, 1_000);
  });

  it('keeps CJK parts near the same token count as English ones (a quarter of the characters)', () => {
    const cjk = '根据多项独立研究，该市场保持了稳定增长。\n\n'.repeat(2_000);
    const split = splitMarkdown(cjk, 20_000);
    expectSound(cjk, split, 20_000);
    // 20 CJK characters and 2 line breaks a line: 84 weighted characters for 22.
    for (const part of split.parts) expect(part.length).toBeLessThanOrEqual((20_000 / 84) * 22);
    expect(split.parts[0]!.length).toBeGreaterThan(4_000);
  });
});

describe('a huge structured answer', () => {
  const schema = FINDINGS_SCHEMA;

  const value = structuredOutput('EV market [fay:long=500000]', schema, 500_000);

  it('is split as its JSON text, keys sorted: the parts join and parse to the value', () => {
    const split = splitJson(value, 20_000);
    expectSound(split.text, split, 20_000);
    expect(split.parts.length).toBeGreaterThan(20);
    expect(JSON.parse(split.parts.join(''))).toEqual(value);
    const parsed = JSON.parse(split.text) as { findings: object[] };
    expect(Object.keys(parsed)).toEqual(['findings', 'title']);
    expect(Object.keys(parsed.findings[0]!)).toEqual(['claim', 'score', 'url']);
    for (const part of split.parts.slice(0, -1)) expect(part.endsWith('\n')).toBe(true);
    expect(split.outline.map((entry) => [entry.title, entry.part])).toEqual([
      ['findings', 1],
      ['title', split.parts.length],
    ]);
  });

  it('keeps an own "__proto__" key a key, and gives no other object one', () => {
    const items = Array.from({ length: 400 }, (_, i) => `{"b": ${i}, "a": "item ${i}"}`);
    const text = `{"z": [${items.join(',')}], "__proto__": {"polluted": true}, "a": 1}`;
    const hostile = JSON.parse(text) as unknown;
    const split = splitJson(hostile, 4_000);
    expect(split.parts.length).toBeGreaterThan(3);
    expect(JSON.stringify(JSON.parse(split.parts.join('')))).toBe(JSON.stringify(hostile));
    expect(split.text.match(/__proto__/g)).toHaveLength(1);
  });

  it('gives the same parts whatever order the keys arrived in', () => {
    expect(Object.keys(value as object)).toEqual(['title', 'findings']);
    const reordered = JSON.parse(
      JSON.stringify(value, ['findings', 'title', 'claim', 'url', 'score']),
    ) as unknown;
    expect(splitJson(reordered, 20_000).parts).toEqual(splitJson(value, 20_000).parts);
  });
});

describe('hostile lines', () => {
  it('lines made to make patterns backtrack are split like any other (no pattern runs away)', () => {
    const lines = [
      `|${'-'.repeat(60)}x`,
      `| ${'--- '.repeat(5_000)}x |`,
      `#${' '.repeat(100_000)}x`,
      `# Title${' '.repeat(100_000)}#${' '.repeat(100_000)}x`,
      `${'- '.repeat(50_000)}x`,
      `${'`'.repeat(100_000)}x`,
      `|${' '.repeat(100_000)}-x`,
    ];
    const text = `# Start\n\n${lines.join('\n\n')}\n`;
    const split = splitMarkdown(text, 20_000);
    expectSound(text, split, 20_000);
  });

  it('reads ATX headings as CommonMark does: closing #s dropped, others kept', () => {
    const text = `# Plain\n\n## Closed ##\n\n### Kept# \n\n#### ##\n\n${'x '.repeat(600)}\n`;
    const titles = splitMarkdown(text, 500).outline.map((entry) => entry.title);
    expect(titles).toEqual(['Plain', 'Closed', 'Kept#', '']);
  });
});

describe('random documents (property checks)', () => {
  const blocks: Array<(random: Random) => string> = [
    (r) => `${'#'.repeat(intBetween(r, 1, 4))} Heading ${intBetween(r, 1, 99)}`,
    (r) =>
      Array.from({ length: intBetween(r, 1, 40) }, () =>
        pick(r, ['word', 'é', '中文', '😀', '👩‍🔬', '"q"', 'x\\y']),
      ).join(' '),
    (r) =>
      `\`\`\`\n${Array.from({ length: intBetween(r, 1, 12) }, () => pick(r, ['code()', '', '# not', '| x |'])).join('\n')}\n\`\`\``,
    (r) =>
      `| a | b |\n|---|---|\n${Array.from({ length: intBetween(r, 1, 15) }, (_, i) => `| ${i} | ${pick(r, ['x', '中'])} |`).join('\n')}`,
    (r) =>
      Array.from(
        { length: intBetween(r, 1, 6) },
        (_, i) =>
          `${pick(r, ['-', '*', `${i + 1}.`])} item\n  more${pick(r, ['', '\n\n  para', '\n  - nested'])}`,
      ).join('\n'),
    (r) => 'long'.repeat(intBetween(r, 1, 400)),
    (r) =>
      pick(r, ['Setext\n===', 'Setext two\n---', '---', '> quote\n> more', '\r\nwindows line\r\n']),
  ];

  it('any document at any budget: exact join, within budget, grapheme-safe cuts, mid-line only when needed', () => {
    const random = seededRandom(2024);
    for (let round = 0; round < 150; round += 1) {
      const text = Array.from({ length: intBetween(random, 1, 60) }, () =>
        pick(random, blocks)(random),
      ).join(pick(random, ['\n\n', '\n', '\n\n\n']));
      const budget = intBetween(random, 64, 3_000);
      const split = splitMarkdown(text, budget);
      expectSound(text, split, budget);
      for (const cut of cutsOf(split)) {
        if (text[cut - 1] === '\n') continue;
        // A mid-line cut: its line alone is longer than a part.
        const start = text.lastIndexOf('\n', cut - 1) + 1;
        const end = text.indexOf('\n', cut);
        expect(weightOf(text.slice(start, end < 0 ? undefined : end + 1))).toBeGreaterThan(budget);
      }
    }
  });
});
