// What the MCP face says about a research's state; the same words whether they end a tool call,
// a task or an error.
import type { JobStatus } from '../../core/index.js';
import { failureReason } from '../../core/internal.js';
import { weightOf, type OutlineEntry } from './parts.js';

export function stillRunningMessage(requestId: string, status: JobStatus): string {
  return (
    `Fay is still researching (status ${status}); the job keeps running. Call fay_get_research ` +
    `with request_id "${requestId}" in a minute or two to get the result.`
  );
}

/** How a FAILED research is told: Fay's reason and what to do. */
export function failedOnFay(errorMessage: string | null): string {
  return `failed on Fay's side: ${failureReason(errorMessage)}. Rephrase the prompt or try again later.`;
}

/** What a tool says when Fay did not answer in time: with the request_id when there is one. */
export function notAnsweringMessage(requestId: string | undefined, seconds: number): string {
  if (requestId === undefined) {
    return (
      `Fay is not answering: no answer within ${seconds} s, so a research started by this call ` +
      'may or may not have been created. Try again in a few minutes (check the Fay dashboard ' +
      'first to avoid a second, billed research).'
    );
  }
  return (
    `Fay is not answering: no answer about research ${requestId} within ${seconds} s. It may ` +
    `still be running: call fay_get_research with request_id "${requestId}" in a few minutes.`
  );
}

/** How to ask for part `part` of a research's answer, as the tool call's arguments. */
function askFor(requestId: string, part: number): string {
  return `call fay_get_research with {"request_id": "${requestId}", "part": ${part}}`;
}

/** A part asked for past the last one (or below 1). */
export function noSuchPart(requestId: string, part: number, parts: number): string {
  const has = parts === 1 ? 'has 1 part (the whole answer)' : `has ${parts} parts`;
  return (
    `There is no part ${part}: the answer of research ${requestId} ${has}. To read part k, ` +
    `${askFor(requestId, 1).replace('"part": 1', '"part": k')} with k from 1 to ${parts}.`
  );
}

const TITLE_MAX = 100;

function shortTitle(title: string): string {
  const chars = Array.from(title.replace(/\s+/g, ' ').trim());
  return chars.length > TITLE_MAX ? `${chars.slice(0, TITLE_MAX - 1).join('')}…` : chars.join('');
}

/** `lines` if they fit in `maxWeight` (joined by line breaks), else undefined; stops early. */
function fitting(lines: Iterable<string>, maxWeight: number): string[] | undefined {
  const kept: string[] = [];
  let weight = 0;
  for (const line of lines) {
    weight += weightOf(line) + 2;
    if (weight > maxWeight) return undefined;
    kept.push(line);
  }
  return kept;
}

/** One part's line: its first headings, as many as fit in `room`, and how many more. */
function partLine(part: number, titles: readonly string[], count: number, room: number): string {
  if (titles.length === 0) {
    return `- Part ${part}: ${count === 0 ? '(no new heading)' : `${count} headings`}`;
  }
  let line = `- Part ${part}: ${titles[0]}`;
  let weight = weightOf(line);
  let shown = 1;
  for (; shown < titles.length; shown += 1) {
    const more = `; ${titles[shown]}`;
    // Room is kept for the " (+N more)" that follows a cut.
    if (weight + weightOf(more) + 16 > room) break;
    line += more;
    weight += weightOf(more);
  }
  return shown < count ? `${line} (+${count - shown} more)` : line;
}

/**
 * The outline as lines within `maxWeight`: every heading with its part if they fit, else without
 * the deeper levels; when even that is too long, one line per part with the first headings it
 * holds (so a model still knows where each part starts), as many parts as fit.
 */
function outlineLines(outline: readonly OutlineEntry[], parts: number, maxWeight: number) {
  const levels = [...new Set(outline.map((entry) => entry.level))].sort();
  const top = levels[0] ?? 1;
  for (const deepest of [6, levels[2], levels[1]]) {
    if (deepest === undefined) continue;
    const lines = (function* () {
      for (const { level, title, part } of outline) {
        if (level > deepest) continue;
        yield `${'  '.repeat(level - top)}- ${shortTitle(title)} (part ${part})`;
      }
    })();
    const kept = fitting(lines, maxWeight);
    if (kept) return kept;
  }
  const room = Math.max(Math.floor(maxWeight / parts) - 2, 0);
  const byPart: string[][] = Array.from({ length: parts }, () => []);
  const counts = new Array<number>(parts).fill(0);
  for (const { level, title, part } of outline) {
    if (level > (levels[1] ?? top)) continue;
    counts[part - 1]! += 1;
    const titles = byPart[part - 1]!;
    // A title weighs at least 3 with its separator: more could never fit.
    if (titles.length * 3 < room) titles.push(shortTitle(title));
  }
  const lines: string[] = [];
  let weight = 60; // room for the last line
  for (const [i, titles] of byPart.entries()) {
    const line = partLine(i + 1, titles, counts[i]!, room);
    weight += weightOf(line) + 2;
    if (weight > maxWeight) return [...lines, `- … parts ${i + 1} to ${parts}`];
    lines.push(line);
  }
  return lines;
}

export interface PartNote {
  requestId: string;
  part: number;
  parts: number;
  /** Part 1's only: the headings (or top-level keys) and the part each starts in. */
  outline: readonly OutlineEntry[];
  /** A JSON answer: its parts are pieces of JSON text. */
  structured: boolean;
  /** The most the note may weigh (see parts.ts), outline included. */
  maxWeight: number;
}

/** The note beside a part: which part it is, how many there are, how to get the next. */
export function partNote(note: PartNote): string {
  const { requestId, part, parts } = note;
  const what = note.structured
    ? `part ${part} of ${parts} of the answer's JSON text (joined in order, the parts are the JSON value)`
    : `part ${part} of ${parts} of the answer, exactly as written`;
  const next =
    part < parts
      ? `To read part ${part + 1}, ${askFor(requestId, part + 1)}.`
      : `It is the last part. To read part k again, ${askFor(requestId, 1).replace('"part": 1', '"part": k')}.`;
  const intro =
    part === 1
      ? `This answer of research ${requestId} is too long for one result, so it comes in ` +
        `${parts} parts; the text above is ${what}. ${next}`
      : `The text above is ${what} (research ${requestId}). ${next}` +
        (part < parts ? ' Part 1 outlines the whole answer.' : '');
  if (note.outline.length === 0) return intro;
  const heading = note.structured
    ? 'Outline: the top-level keys, with the part each starts in:'
    : 'Outline: the headings, with the part each starts in:';
  const room = note.maxWeight - weightOf(`${intro}\n\n${heading}\n`);
  return [intro, '', heading, ...outlineLines(note.outline, parts, room)].join('\n');
}
