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

/** unitWeight of each code unit, looked up; 0 for surrogates, whose weight needs a neighbour. */
const UNIT_WEIGHTS = new Uint8Array(0x10000);
for (let code = 0; code < UNIT_WEIGHTS.length; code += 1) {
  if (!isHigh(code) && !isLow(code)) UNIT_WEIGHTS[code] = unitWeight('', 0, code);
}

/** The weight of text[i] (see unitWeight). */
function weightAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return UNIT_WEIGHTS[code] || unitWeight(text, i, code);
}

/** The weighted size of a text (see unitWeight). */
export function weightOf(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i += 1) sum += weightAt(text, i);
  return sum;
}

const MARK_BITS = 6;
const MARK_STEP = 1 << MARK_BITS;

/**
 * The weights of a text's prefixes, with one pass over the text: the weight of text[0, i) is
 * kept for every i that is a multiple of MARK_STEP, and found for any other i from the mark below
 * it. Prefix weights are strictly increasing, as every unit weighs at least 1.
 */
class PrefixWeights {
  readonly total: number;
  readonly #text: string;
  /** marks[k] = weight of text[0, k * MARK_STEP). */
  readonly #marks: Uint32Array;

  constructor(text: string) {
    this.#text = text;
    const marks = new Uint32Array((text.length >>> MARK_BITS) + 1);
    let sum = 0;
    for (let k = 1, i = 0; i < text.length; k += 1) {
      const end = Math.min(text.length, i + MARK_STEP);
      for (; i < end; i += 1) sum += weightAt(text, i);
      if (k < marks.length) marks[k] = sum;
    }
    this.total = sum;
    this.#marks = marks;
  }

  /** The weight of text[0, end). */
  at(end: number): number {
    const text = this.#text;
    let i = (end >>> MARK_BITS) << MARK_BITS;
    let sum = this.#marks[end >>> MARK_BITS]!;
    for (; i < end; i += 1) sum += weightAt(text, i);
    return sum;
  }

  /** The largest offset e with weight of text[0, e) <= target (0 when none is). */
  lastWithin(target: number): number {
    const marks = this.#marks;
    let low = 0;
    let high = marks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (marks[mid]! <= target) low = mid;
      else high = mid - 1;
    }
    const text = this.#text;
    let sum = marks[low]!;
    let end = low << MARK_BITS;
    while (end < text.length) {
      sum += weightAt(text, end);
      if (sum > target) break;
      end += 1;
    }
    return end;
  }

  /** The smallest offset e with weight of text[0, e) >= target (text.length + 1 when none is). */
  firstAtLeast(target: number): number {
    const below = Math.ceil(target) - 1;
    return below < 0 ? 0 : this.lastWithin(below) + 1;
  }
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
  /**
   * The cut for a part [pos, limit), given the first offset of its back half (see chooseBreak);
   * undefined when no line starts within its room. Asked for parts in order.
   */
  breakIn(pos: number, limit: number, halfAt: number): number | undefined;
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
  /** Line starts where a cut may go (ascending, all > 0), and their ranks. */
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
  #first = 0; // the index in breaks of the first break after the last part's start

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

  breakIn(pos: number, limit: number, halfAt: number): number | undefined {
    while (this.#first < this.breaks.length && this.breaks[this.#first]! <= pos) this.#first += 1;
    return chooseBreak(this.breaks, this.ranks, this.#first, limit, halfAt);
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

/**
 * The lines of a JSON text (as JSON.stringify indents it, so a line break is never inside a
 * string): any line may end a part (BLOCK); a top-level member's start is the best place, as a
 * heading is (SECTION). Breaks are found around each cut, not listed for the whole text.
 */
class JsonLayout implements Layout {
  readonly headings: Layout['headings'] = [];
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
    const topKey = /^ {2}("(?:[^"\\]|\\.)*"):/;
    for (let at = text.indexOf('\n  "') + 1; at > 0; at = text.indexOf('\n  "', at) + 1) {
      const key = topKey.exec(text.slice(at, at + 1024));
      if (key) this.headings.push({ level: 1, title: JSON.parse(key[1]!) as string, at });
    }
  }

  #topLevel(at: number): boolean {
    return this.#text.charCodeAt(at + 2) !== 0x20 && this.#text.startsWith('  ', at);
  }

  /** The start of the line before the one starting at `at` (0 for the first line). */
  #lineBefore(at: number): number {
    return at < 2 ? 0 : this.#text.lastIndexOf('\n', at - 2) + 1;
  }

  /** chooseBreak where every break is a BLOCK or a SECTION. */
  breakIn(pos: number, limit: number, halfAt: number): number | undefined {
    const last = this.#text.lastIndexOf('\n', limit - 1) + 1;
    if (last <= pos) return undefined;
    for (let at = last; at > pos && at >= halfAt; at = this.#lineBefore(at)) {
      if (this.#topLevel(at)) return at;
    }
    return last;
  }
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
 * A cut inside one line longer than a part [pos, limit), its back half from `halfAt`: after the
 * last space (or CJK punctuation) in the back half of the room, else as far as the room allows;
 * always on a grapheme boundary.
 */
function midLineCut(text: string, pos: number, limit: number, halfAt: number): number {
  for (let i = limit - 1; i > pos && i >= halfAt; i -= 1) {
    if (SOFT_BREAK.has(text.charCodeAt(i))) {
      const cut = graphemeCut(text, i + 1, pos);
      if (cut >= halfAt) return cut;
      break;
    }
  }
  return graphemeCut(text, limit, pos);
}

/**
 * The cut among the line breaks (from index `first`, the first after the part's start) within
 * the room of a part ending at `limit`, in order: the last heading in the back half of the part
 * (from `halfAt`: the first offset where at least half the part's weight is behind), the last
 * block boundary in the back half, the last block boundary anywhere, the last break between
 * paragraph lines, the last break at all. Undefined when no line starts within the room.
 */
function chooseBreak(
  breaks: number[],
  ranks: Rank[],
  first: number,
  limit: number,
  halfAt: number,
): number | undefined {
  let block: number | undefined;
  let line: number | undefined;
  let inside: number | undefined;
  let i = first;
  while (i < breaks.length && breaks[i]! <= limit) i += 1;
  for (i -= 1; i >= first; i -= 1) {
    const at = breaks[i]!;
    const rank = ranks[i]!;
    const backHalf = at >= halfAt;
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
  const weights = new PrefixWeights(text);
  if (weights.total <= maxWeight) return { text, parts: [text], outline: [] };
  const layout = layoutOf(text);
  const cuts: number[] = [];
  for (let pos = 0, before = 0; weights.total - before > maxWeight;) {
    const limit = weights.lastWithin(before + maxWeight);
    const halfAt = weights.firstAtLeast(before + (weights.at(limit) - before) / 2);
    const cut = layout.breakIn(pos, limit, halfAt) ?? midLineCut(text, pos, limit, halfAt);
    cuts.push(cut);
    pos = cut;
    before = weights.at(pos);
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
  return splitText(text, maxWeight, (markdown) => new MarkdownScan(markdown));
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
  const split = splitText(sortedJson(value), maxWeight, (json) => new JsonLayout(json));
  if (split.parts.length > 1) return split;
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return { text, parts: [text], outline: [] };
}

/**
 * Indented JSON with every object's keys in sorted order (UTF-16 code unit order), written by
 * JSON.stringify itself. A value as JSON.parse makes it (plain objects and arrays) is copied with
 * each object's keys inserted in sorted order, then written as it is: JSON.stringify writes a
 * plain value faster than it applies a list of keys to every object. Any other value goes by
 * sortedByList.
 */
function sortedJson(value: unknown): string {
  const copy = sortedCopy(value);
  if (copy === NOT_PLAIN) return sortedByList(value);
  return JSON.stringify(copy, null, 2) ?? 'null';
}

const NOT_PLAIN = Symbol('not plain');

/**
 * A copy of a JSON value with its objects' keys inserted in sorted order, or NOT_PLAIN when
 * insertion order would not be the order JSON.stringify writes (a key that is an array index, as
 * those come first; "__proto__", which sets the prototype; "toJSON") or when the value holds an
 * object that is neither an array nor a plain object (a Date). Objects of one shape usually
 * follow one another, so the last order found is tried first.
 */
function sortedCopy(value: unknown): unknown {
  let lastKeys: string[] = [];
  let lastSorted: string[] = [];
  const copy = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    if (Array.isArray(item)) {
      const out: unknown[] = new Array<unknown>(item.length);
      for (let i = 0; i < item.length; i += 1) {
        const element = copy(item[i]);
        if (element === NOT_PLAIN) return NOT_PLAIN;
        out[i] = element;
      }
      return out;
    }
    const prototype = Object.getPrototypeOf(item) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
    const object = item as Record<string, unknown>;
    const keys = Object.keys(object);
    let same = keys.length === lastKeys.length;
    for (let i = 0; same && i < keys.length; i += 1) same = keys[i] === lastKeys[i];
    if (!same) {
      if (keys.some(keyOutOfOrder)) return NOT_PLAIN;
      lastKeys = keys;
      lastSorted = [...keys].sort();
    }
    const sorted = lastSorted; // copying a child may change lastSorted
    const out: Record<string, unknown> = {};
    for (const key of sorted) {
      const child = copy(object[key]);
      if (child === NOT_PLAIN) return NOT_PLAIN;
      out[key] = child;
    }
    return out;
  };
  return copy(value);
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** A key that insertion cannot put in sorted order, or that JSON.stringify treats apart. */
const keyOutOfOrder = (key: string): boolean =>
  key === '__proto__' || key === 'toJSON' || ARRAY_INDEX.test(key);

/**
 * Indented JSON with every object's keys in sorted order, written by JSON.stringify itself: given
 * a list of keys, it writes each object's keys in the list's order. An answer with a "__proto__"
 * key keeps Fay's order instead: from a list, every object would be read for that key, and one
 * without it as its own would show its prototype.
 */
function sortedByList(value: unknown): string {
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
