// The note beside a part (src/mcp/research/messages.ts): it names the part and how to get the
// next, and part 1's outline always fits its room, however many headings and parts there are.
import { describe, expect, it } from 'vitest';
import { partNote, type PartNote } from '../../src/mcp/research/messages.ts';
import { weightOf, type OutlineEntry } from '../../src/mcp/research/parts.ts';

const ID = '123e4567-e89b-42d3-a456-426614174000';

function note(overrides: Partial<PartNote>): string {
  return partNote({
    requestId: ID,
    part: 1,
    parts: 3,
    outline: [],
    structured: false,
    maxWeight: 6_000,
    ...overrides,
  });
}

function headings(count: number, parts: number, title = 'Section'): OutlineEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    level: i === 0 ? 1 : 2 + (i % 2),
    title: `${title} ${i}`,
    part: 1 + Math.floor((i * parts) / count),
  }));
}

describe('partNote', () => {
  it('says which part, how many, and the call that reads the next', () => {
    const text = note({ part: 2, parts: 3 });
    expect(text).toContain('part 2 of 3');
    expect(text).toContain(`call fay_get_research with {"request_id": "${ID}", "part": 3}`);
    expect(note({ part: 3, parts: 3 })).toContain('last part');
  });

  it('lists every heading with its part when they fit', () => {
    const text = note({ outline: headings(12, 3) });
    expect(text).toContain('- Section 0 (part 1)');
    expect(text).toContain('  - Section 11 (part 3)');
  });

  it('drops the deeper levels first, then gives each part its first headings', () => {
    const many = note({ outline: headings(400, 3) });
    expect(many).toContain('Section 398 (part 3)');
    expect(many).not.toContain('Section 399 ');
    const huge = note({ outline: headings(20_000, 30), parts: 30 });
    for (let part = 1; part <= 30; part += 1) expect(huge).toContain(`- Part ${part}: `);
    expect(weightOf(huge)).toBeLessThanOrEqual(6_000);
  });

  it('stays within its room with thousands of parts, long titles and CJK', () => {
    const outline = headings(50_000, 2_000, '市场概况'.repeat(40));
    const text = note({ outline, parts: 2_000 });
    expect(weightOf(text)).toBeLessThanOrEqual(6_000);
    expect(text).toMatch(/… parts \d+ to 2000/);
  });
});
