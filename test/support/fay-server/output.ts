// Research answers: Markdown for plain jobs, a schema-shaped JSON value for structured ones.
import { randomFromText, pick, intBetween, type Random } from './random.ts';

const SOURCES = [
  { title: 'Encyclopedia overview', host: 'https://en.wikipedia.org/wiki/' },
  { title: 'Industry report', host: 'https://www.example-research.org/reports/' },
  { title: 'Peer-reviewed study', host: 'https://doi.example.org/10.5555/' },
  { title: 'Official statistics', host: 'https://data.example.gov/datasets/' },
  { title: 'News analysis', host: 'https://news.example.com/analysis/' },
];
const FINDINGS = [
  'Several independent sources agree on the main trend.',
  'Figures differ between sources by up to 15%, mostly due to definitions.',
  'Recent data (last 12 months) confirms the long-term direction.',
  'Regional differences are significant and worth a closer look.',
  'Experts disagree on the causes but not on the magnitude.',
];

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/\[fay:[^\]]*\]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'topic'
  );
}

export function markdownOutput(prompt: string): string {
  const random = randomFromText(prompt);
  const topic = prompt.replace(/\s+/g, ' ').trim();
  const title = topic.length > 80 ? `${topic.slice(0, 77)}...` : topic;
  const sources = [...SOURCES].sort(() => random() - 0.5).slice(0, intBetween(random, 2, 3));
  const findings = [...FINDINGS].sort(() => random() - 0.5).slice(0, 3);
  return [
    `# Research: ${title}`,
    '',
    '## Summary',
    '',
    `This report answers the question "${topic}" from ${sources.length} sources.`,
    '',
    '## Key findings',
    '',
    ...findings.map((finding, i) => `- ${finding} [${(i % sources.length) + 1}]`),
    '',
    '## Sources',
    '',
    ...sources.map((s, i) => `${i + 1}. [${s.title}](${s.host}${slug(prompt)})`),
    '',
  ].join('\n');
}

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema's type: explicit (first non-null of a list) or implied by its keywords. */
function schemaType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') ?? type[0];
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function stringFor(schema: Schema, name: string, random: Random): string {
  switch (schema.format) {
    case 'date-time':
      return new Date(
        Date.UTC(2024, intBetween(random, 0, 11), intBetween(random, 1, 28)),
      ).toISOString();
    case 'date':
      return `2024-${String(intBetween(random, 1, 12)).padStart(2, '0')}-${String(intBetween(random, 1, 28)).padStart(2, '0')}`;
    case 'email':
      return `${slug(name)}@example.com`;
    case 'uri':
    case 'url':
      return `https://www.example-research.org/${slug(name)}`;
    case 'uuid':
      return '00000000-0000-4000-8000-'.concat(
        String(intBetween(random, 0, 999999999999)).padStart(12, '0'),
      );
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  let text = `${name || 'value'} ${pick(random, ['finding', 'summary', 'detail', 'insight'])}`;
  while (text.length < min) text += ' detail';
  return text.slice(0, max);
}

function numberFor(schema: Schema, integer: boolean, random: Random): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
  const max = typeof schema.maximum === 'number' ? schema.maximum : min + 100;
  const value = min + random() * (max - min);
  return integer ? Math.min(Math.ceil(value), Math.floor(max)) : Math.round(value * 100) / 100;
}

function valueFor(schema: unknown, name: string, random: Random, depth: number): unknown {
  if (!isSchema(schema) || depth > 8) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pick(random, schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    return valueFor(alternatives[0], name, random, depth + 1);
  }
  switch (schemaType(schema)) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      return Object.fromEntries(
        Object.entries(properties).map(([key, sub]) => [
          key,
          valueFor(sub, key, random, depth + 1),
        ]),
      );
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 2;
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 3);
      const length = Math.min(Math.max(min, 2), max);
      return Array.from({ length }, () => valueFor(schema.items, name, random, depth + 1));
    }
    case 'string':
      return stringFor(schema, name, random);
    case 'integer':
      return numberFor(schema, true, random);
    case 'number':
      return numberFor(schema, false, random);
    case 'boolean':
      return random() < 0.5;
    default:
      return null;
  }
}

/**
 * A JSON value matching `schema` (objects, arrays, strings, numbers, booleans, enums), stable per
 * prompt. With `minChars`, its first array (the value itself, or a top-level property) takes more
 * items (up to maxItems) until the value's JSON text is at least that long.
 */
export function structuredOutput(prompt: string, schema: Schema, minChars = 0): unknown {
  const random = randomFromText(prompt);
  const value = valueFor(schema, '', random, 0);
  const grown = minChars > 0 ? growable(value, schema) : undefined;
  if (grown) {
    const { items, itemSchema, max, name } = grown;
    let size = JSON.stringify(value).length;
    while (size < minChars && items.length < max) {
      const item = valueFor(itemSchema, name, random, 1);
      items.push(item);
      size += JSON.stringify(item).length + 1;
    }
  }
  return value;
}

function growable(value: unknown, schema: Schema) {
  const arrayOf = (items: unknown, sub: unknown, name: string) =>
    Array.isArray(items) && isSchema(sub)
      ? {
          items: items as unknown[],
          itemSchema: sub.items,
          max: typeof sub.maxItems === 'number' ? sub.maxItems : Infinity,
          name,
        }
      : undefined;
  if (Array.isArray(value)) return arrayOf(value, schema, '');
  if (!isSchema(value) || !isSchema(schema.properties)) return undefined;
  const properties = schema.properties;
  for (const key of Object.keys(value)) {
    const found = arrayOf(value[key], properties[key], key);
    if (found) return found;
  }
  return undefined;
}
