// A long answer in parts that each fit a model's context. Pure functions, no imports: text in,
// parts out, and the parts joined give back the exact text.
//
// Size is weighted, because what a host limits is tokens, not characters (see unitWeight).
// Answers hold web content: every pattern here runs in linear time, whatever a line holds.
// Cuts go, in order of preference: before a heading, between blocks, between the lines of a
// paragraph, then between lines inside a fenced code block, a table or a list item (only when no
// other cut fits in the part), and mid-line only when one line alone is longer than a part, at a
// space or else at a grapheme boundary.

/**
 * The weight of one UTF-16 code unit, defined here once. Four weighted characters are about one
 * token whatever the script: English prose costs about a token per 4 characters, so ASCII counts
 * 1; accented Latin, Greek, Cyrillic, Hebrew and Arabic (up to U+07FF) cost about twice that per
 * character, so 2; CJK, kana, Hangul, Indic scripts, Thai and emoji cost about a token each, so 4
 * (a surrogate pair counts 2 + 2). General punctuation (U+2000–U+206F: dashes, curly quotes) is
 * common in English and counts 1. A character JSON escapes counts at least its escaped length
 * (quote, backslash and \n count 2; other control characters and lone surrogates 6), so a part's
 * weight also bounds its length once the result is sent as JSON.
 */
function unitWeight(text: string, i: number, code: number): number {
  if (code < 0x80) {
    if (code >= 0x20) return code === 0x22 || code === 0x5c ? 2 : 1;
    return code === 0x0a || code === 0x0d || code === 0x09 || code === 0x08 || code === 0x0c
      ? 2
      : 6;
  }
  if (code < 0x800) return 2;
  if (code >= 0x2000 && code < 0x2070) return 1;
  if (code >= 0xd800 && code <= 0xdbff) return isLow(text.charCodeAt(i + 1)) ? 2 : 6;
  if (code >= 0xdc00 && code <= 0xdfff) return isHigh(text.charCodeAt(i - 1)) ? 2 : 6;
  return 4;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** unitWeight of each ASCII code unit, looked up (most of a text is ASCII). */
const ASCII_WEIGHTS = Uint8Array.from({ length: 0x80 }, (_, code) => unitWeight('', 0, code));

/** The weighted size of a text (see unitWeight). */
export function weightOf(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    sum += code < 0x80 ? ASCII_WEIGHTS[code]! : unitWeight(text, i, code);
  }
  return sum;
}

/** prefix[i] = weight of text[0, i); strictly increasing, as every unit weighs at least 1. */
function prefixWeights(text: string): Uint32Array {
  const prefix = new Uint32Array(text.length + 1);
  let sum = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    sum += code < 0x80 ? ASCII_WEIGHTS[code]! : unitWeight(text, i, code);
    prefix[i + 1] = sum;
  }
  return prefix;
}

/** A heading of the answer and the part (1-based) its line starts in. */
export interface OutlineEntry {
  /** 1–6 for Markdown headings; 1 for the top-level keys of a JSON answer. */
  level: number;
  title: string;
  part: number;
}

export interface SplitAnswer {
  /** The whole answer as text: the parts joined. */
  text: string;
  /** One part when the whole text fits, else each at most the budget's weight. */
  parts: string[];
  /** Headings (or a JSON answer's top-level keys) with their part; empty for one part. */
  outline: OutlineEntry[];
}

/**
 * Where a cut may go and how good a place it is, from worst to best: between lines inside a
 * fenced code block, a table, a list item or a setext heading (also before a blank line); between
 * the lines of a paragraph, or right after a heading (it would end a part alone); between blocks
 * or list items; before a heading.
 */
const INSIDE = 0;
const LINE = 1;
const BLOCK = 2;
const SECTION = 3;
type Rank = typeof INSIDE | typeof LINE | typeof BLOCK | typeof SECTION;

interface Layout {
  /** Line starts where a cut may go (ascending, all > 0), and their ranks. */
  breaks: number[];
  ranks: Rank[];
  /** Headings, at the offset of their (first) line. */
  headings: Array<{ level: number; title: string; at: number }>;
}

const FENCE = /^[ \t]*(?:>[ \t]?)*(`{3,}|~{3,})(.*)$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]|$)/;
const ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
// On a trimmed line; cells are separated by pipes, so no two repetitions can match the same text.
const TABLE_DELIMITER = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?$/;

const codes = (chars: string) => new Set([...chars].map((c) => c.charCodeAt(0)));
const FENCE_MARKERS = codes('`~>');
const BREAK_MARKERS = codes('-*_');
const ITEM_MARKERS = codes('-*+0123456789');
const DELIMITER_MARKERS = codes('|:-');
const MARKERS = codes('#`~>-*_+0123456789=|:');

/** The marker of a fence `line` opens (a backtick fence's info string has no backtick). */
function fenceOpened(line: string): string | undefined {
  const found = FENCE.exec(line);
  if (!found || (found[1]![0] === '`' && found[2]!.includes('`'))) return undefined;
  return found[1];
}

/** Whether `line` closes a fence opened with `marker` (same character, at least as long). */
function closesFence(line: string, marker: string): boolean {
  const found = FENCE.exec(line);
  return (
    found !== null &&
    found[1]![0] === marker[0] &&
    found[1]!.length >= marker.length &&
    found[2]!.trim() === ''
  );
}

/** What a line that is not blank and not inside a fence is (see MarkdownScan). */
interface Shape {
  indent: number;
  heading: RegExpExecArray | null;
  opens: string | undefined;
  thematic: boolean;
  item: boolean;
  /** Opens a block whatever came before: a heading, a fence or a thematic break. */
  startsBlock: boolean;
  /** An underline making the one-line paragraph above a heading. */
  setext: boolean;
  /** Inside the current list item: its continuation, nested items or indented content. */
  inItem: boolean;
}

/**
 * One pass over the lines of a Markdown text, in the spirit of CommonMark and GFM: fences (blank
 * lines inside them included), ATX and setext headings, tables, list items with their
 * continuation lines and nested content. Approximate where Markdown is ambiguous: it only decides
 * where cuts go; the parts always join back exactly.
 */
class MarkdownScan implements Layout {
  readonly breaks: number[] = [];
  readonly ranks: Rank[] = [];
  readonly headings: Layout['headings'] = [];
  readonly #text: string;
  #fence: string | undefined; // the marker of the open fence
  #listIndent = -1; // marker indent of the current top-level list item, -1 outside lists
  #prevBlank = true;
  #blockEnded = true; // the previous line ended a block (blank, fence end, thematic break)
  #prevHeading = false;
  #inTable = false;
  #paragraphLines = 0;
  #paragraphAt = 0; // offset of the current paragraph's first line
  #paragraphBreak = -1; // its index in breaks (-1: the text's first line)

  constructor(text: string) {
    this.#text = text;
    for (let start = 0; start < text.length;) {
      const newline = text.indexOf('\n', start);
      let lineEnd = newline < 0 ? text.length : newline;
      if (text.charCodeAt(lineEnd - 1) === 0x0d && lineEnd > start) lineEnd -= 1;
      let first = start;
      while (text.charCodeAt(first) === 0x20 || text.charCodeAt(first) === 0x09) first += 1;
      const rank = this.#line(start, lineEnd, first);
      if (start > 0) {
        this.breaks.push(start);
        this.ranks.push(rank);
      }
      start = newline < 0 ? text.length : newline + 1;
    }
  }

  /** The rank of a cut before the line [start, lineEnd), its first non-blank at `first`. */
  #line(start: number, lineEnd: number, first: number): Rank {
    const blank = first >= lineEnd;
    // Only a line starting with one of these characters can open or close a block (headings,
    // fences, breaks, items, setext underlines, quotes, table delimiters): others are not sliced.
    const code = blank ? 0 : this.#text.charCodeAt(first);
    const line = MARKERS.has(code) ? this.#text.slice(start, lineEnd) : '';
    if (this.#fence !== undefined) {
      if (FENCE_MARKERS.has(code) && closesFence(line, this.#fence)) this.#fence = undefined;
      this.#paragraphLines = 0;
      this.#prevBlank = false;
      this.#blockEnded = this.#fence === undefined;
      return INSIDE;
    }
    if (blank) {
      // A cut before a blank line would start the next part with it: only as a last resort.
      this.#paragraphLines = 0;
      this.#prevBlank = true;
      this.#blockEnded = true;
      return INSIDE;
    }
    const shape = this.#shape(first - start, code, line);
    const rank = this.#rank(shape, start, code, line);
    this.#advance(shape, start);
    return rank;
  }

  #shape(indent: number, code: number, line: string): Shape {
    const heading = code === 0x23 ? ATX.exec(line) : null;
    const opens = FENCE_MARKERS.has(code) ? fenceOpened(line) : undefined;
    const thematic = BREAK_MARKERS.has(code) && THEMATIC.test(line);
    const item = !thematic && ITEM_MARKERS.has(code) && ITEM.test(line);
    const startsBlock = heading !== null || opens !== undefined || thematic;
    const setext =
      (code === 0x3d || code === 0x2d) &&
      this.#paragraphLines === 1 &&
      !this.#prevBlank &&
      SETEXT.test(line);
    const inItem =
      this.#listIndent >= 0 &&
      !(indent <= this.#listIndent && (item || startsBlock || this.#prevBlank));
    return { indent, heading, opens, thematic, item, startsBlock, setext, inItem };
  }

  #rank(shape: Shape, start: number, code: number, line: string): Rank {
    if (shape.setext) {
      // The paragraph line above is a heading: a cut goes before it, none between the two.
      if (this.#paragraphBreak >= 0) this.ranks[this.#paragraphBreak] = SECTION;
      const title = this.#text.slice(this.#paragraphAt, start).trim();
      this.headings.push({ level: line.includes('=') ? 1 : 2, title, at: this.#paragraphAt });
      return INSIDE;
    }
    if (shape.inItem) return INSIDE;
    if (shape.heading !== null) {
      const level = shape.heading[1]!.length;
      this.headings.push({ level, title: atxTitle(line, level), at: start });
      return SECTION;
    }
    if (shape.startsBlock || shape.item || this.#blockEnded) {
      return this.#prevHeading ? LINE : BLOCK;
    }
    if (this.#inTable || (DELIMITER_MARKERS.has(code) && isDelimiterRow(line))) {
      this.#inTable = true;
      return INSIDE;
    }
    return LINE;
  }

  #advance(shape: Shape, start: number): void {
    const { item, startsBlock, setext, inItem } = shape;
    if (!inItem) this.#listIndent = item ? shape.indent : -1;
    if (shape.opens !== undefined) this.#fence = shape.opens;
    if (startsBlock || item || this.#blockEnded) this.#inTable = false;
    if (setext || startsBlock || item || inItem || this.#inTable) {
      this.#paragraphLines = 0;
    } else if (this.#paragraphLines === 0) {
      this.#paragraphLines = 1;
      this.#paragraphAt = start;
      this.#paragraphBreak = start > 0 ? this.breaks.length : -1;
    } else {
      this.#paragraphLines += 1;
    }
    this.#prevHeading = !inItem && (shape.heading !== null || setext);
    this.#prevBlank = false;
    this.#blockEnded = shape.thematic;
  }
}

function isDelimiterRow(line: string): boolean {
  return line.includes('|') && TABLE_DELIMITER.test(line.trim());
}

/** An ATX heading's text: without the #s that open it, nor a closing run of #s. */
function atxTitle(line: string, level: number): string {
  const text = line.trim().slice(level).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  if (end === 0) return '';
  return end < text.length && /[ \t]/.test(text[end - 1]!) ? text.slice(0, end).trimEnd() : text;
}

const markdownLayout = (text: string): Layout => new MarkdownScan(text);

/** The lines of a JSON text (as JSON.stringify indents it): top-level members are the blocks. */
function jsonLayout(text: string): Layout {
  const breaks: number[] = [];
  const ranks: Rank[] = [];
  const headings: Layout['headings'] = [];
  const topKey = /^ {2}("(?:[^"\\]|\\.)*"):/;
  for (let start = text.indexOf('\n') + 1; start > 0; start = text.indexOf('\n', start) + 1) {
    const topLevel = text.charCodeAt(start + 2) !== 0x20 && text.startsWith('  ', start);
    breaks.push(start);
    // Any line may end a part; a top-level member's start is the best place, as a heading is.
    ranks.push(topLevel ? SECTION : BLOCK);
    if (topLevel) {
      const key = topKey.exec(text.slice(start, start + 1024));
      if (key) headings.push({ level: 1, title: JSON.parse(key[1]!) as string, at: start });
    }
  }
  return { breaks, ranks, headings };
}

let segmenter: Intl.Segmenter | undefined;

/**
 * The last grapheme boundary at or before `cut` and after `floor`: boundaries between two
 * characters below U+0300 are certain (except CR LF); elsewhere Intl.Segmenter decides, over a
 * window that starts at such a character. A grapheme longer than the room left (no boundary in
 * it) is cut between code points, never inside a surrogate pair.
 */
function graphemeCut(text: string, cut: number, floor: number): number {
  if (cut >= text.length) return text.length;
  const before = text.charCodeAt(cut - 1);
  const after = text.charCodeAt(cut);
  if (before < 0x300 && after < 0x300 && !(before === 0x0d && after === 0x0a)) return cut;
  let start = Math.max(floor, cut - 64);
  const stop = Math.max(floor, cut - 1024);
  while (start > stop && !(text.charCodeAt(start) < 0x300 && text.charCodeAt(start) !== 0x0a)) {
    start -= 1;
  }
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let best = -1;
  for (const { index } of segmenter.segment(text.slice(start, Math.min(text.length, cut + 64)))) {
    const at = start + index;
    if (at > cut) break;
    if (at > floor) best = at;
  }
  if (best > floor) return best;
  return isLow(after) && isHigh(before) && cut - 1 > floor ? cut - 1 : cut;
}

const SOFT_BREAK = new Set([0x20, 0x09, 0x3000, 0x3001, 0x3002, 0xff01, 0xff0c, 0xff1f, 0xff1b]);

/**
 * A cut inside one line longer than a part: after the last space (or CJK punctuation) in the
 * back half of the room, else as far as the room allows; always on a grapheme boundary.
 */
function midLineCut(text: string, prefix: Uint32Array, pos: number, limit: number): number {
  const half = prefix[pos]! + (prefix[limit]! - prefix[pos]!) / 2;
  for (let i = limit - 1; i > pos && prefix[i]! >= half; i -= 1) {
    if (SOFT_BREAK.has(text.charCodeAt(i))) {
      const cut = graphemeCut(text, i + 1, pos);
      if (prefix[cut]! >= half) return cut;
      break;
    }
  }
  return graphemeCut(text, limit, pos);
}

/** The largest offset e with prefix[e] <= target (prefix strictly increasing). */
function lastWithin(prefix: Uint32Array, target: number): number {
  let low = 0;
  let high = prefix.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (prefix[mid]! <= target) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The cut for a part starting at `pos` among the line breaks within its room, in order: the last
 * heading in the back half of the part, the last block boundary in the back half, the last block
 * boundary anywhere, the last break between paragraph lines, the last break at all. Undefined
 * when no line ends within the room.
 */
function chooseBreak(
  layout: Layout,
  prefix: Uint32Array,
  pos: number,
  limit: number,
  first: number,
): number | undefined {
  const half = prefix[pos]! + (prefix[limit]! - prefix[pos]!) / 2;
  const { breaks, ranks } = layout;
  let block: number | undefined;
  let line: number | undefined;
  let inside: number | undefined;
  let i = first;
  while (i < breaks.length && breaks[i]! <= limit) i += 1;
  for (i -= 1; i >= first; i -= 1) {
    const at = breaks[i]!;
    const rank = ranks[i]!;
    const backHalf = prefix[at]! >= half;
    if (rank === SECTION && backHalf) return at;
    if (rank >= BLOCK) {
      if (backHalf) {
        // Kept: a heading before it, still in the back half, is better.
        block ??= at;
        continue;
      }
      return block ?? at;
    }
    if (rank === LINE) line ??= at;
    else inside ??= at;
  }
  return block ?? line ?? inside;
}

function splitText(
  text: string,
  maxWeight: number,
  layoutOf: (text: string) => Layout,
): SplitAnswer {
  const prefix = prefixWeights(text);
  if (prefix[text.length]! <= maxWeight) return { text, parts: [text], outline: [] };
  const layout = layoutOf(text);
  const cuts: number[] = [];
  let first = 0; // the first break after pos
  for (let pos = 0; prefix[text.length]! - prefix[pos]! > maxWeight;) {
    const limit = lastWithin(prefix, prefix[pos]! + maxWeight);
    while (first < layout.breaks.length && layout.breaks[first]! <= pos) first += 1;
    const cut =
      chooseBreak(layout, prefix, pos, limit, first) ?? midLineCut(text, prefix, pos, limit);
    cuts.push(cut);
    pos = cut;
  }
  const parts: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parts.push(text.slice(from, cut));
    from = cut;
  }
  let part = 0;
  const outline = layout.headings.map(({ level, title, at }) => {
    while (part < cuts.length && cuts[part]! <= at) part += 1;
    return { level, title, part: part + 1 };
  });
  return { text, parts, outline };
}

/** A Markdown answer in parts of at most `maxWeight` each (one part when it fits). */
export function splitMarkdown(text: string, maxWeight: number): SplitAnswer {
  return splitText(text, maxWeight, markdownLayout);
}

/**
 * A structured answer as text: indented JSON. One that fits in one part is shown as before, in
 * the order Fay sent its keys. One that does not is written with its object keys sorted: each
 * part may be read by a different process, each from its own fetch of the output, and a
 * serialisation that depends only on the value (not on the order keys arrived in; JSON objects
 * are unordered, and a store such as jsonb reorders them) gives every process the same parts.
 * Sorting changes no character's weight, so whether the answer fits does not depend on it.
 */
export function splitJson(value: unknown, maxWeight: number): SplitAnswer {
  const split = splitText(sortedJson(value), maxWeight, jsonLayout);
  if (split.parts.length > 1) return split;
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return { text, parts: [text], outline: [] };
}

/**
 * Indented JSON with every object's keys in sorted order, written by JSON.stringify itself: given
 * a list of keys, it writes each object's keys in the list's order. An answer with a "__proto__"
 * key keeps Fay's order instead: from a list, every object would be read for that key, and one
 * without it as its own would show its prototype.
 */
function sortedJson(value: unknown): string {
  const keys = new Set<string>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const element of item) {
        if (typeof element === 'object' && element !== null) pending.push(element);
      }
      continue;
    }
    const object = item as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      keys.add(key);
      const child = object[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  const list = keys.has('__proto__') ? null : [...keys].sort();
  return JSON.stringify(value, list, 2) ?? 'null';
}

/** An answer (Markdown, or a structured JSON value) in parts of at most `maxWeight` each. */
export function splitAnswer(output: unknown, maxWeight: number): SplitAnswer {
  return typeof output === 'string'
    ? splitMarkdown(output, maxWeight)
    : splitJson(output, maxWeight);
}
