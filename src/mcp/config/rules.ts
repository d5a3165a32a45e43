// The one family of rules every fay-mcp variable is read with: a blank value means unset, numbers
// are checked by one helper, lists are comma-separated, and every refusal is worded once.
import * as z from 'zod';

/** A blank (or whitespace-only) value counts as unset, whatever the variable. */
export const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** An optional text variable (a blank one is unset). */
export const text = () => z.preprocess(blankToUndefined, z.string().optional());

/** A comma-separated list; blank items are dropped. */
export const list = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : [],
  z.array(z.string()),
);

interface NumberRule {
  /** `seconds`: any number of seconds above `min`; `whole`: a whole number from `min`. */
  unit: 'seconds' | 'whole';
  min: number;
  max?: number;
  /** Why a whole number below `min` is refused, added to its message. */
  belowMin?: string;
}

/** An optional number variable, refused with a message that names it and the rule it broke. */
export function number(name: string, { unit, min, max = Infinity, belowMin }: NumberRule) {
  if (unit === 'seconds') {
    const what = `${name} must be a number of seconds`;
    return z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: what })
        .refine((n) => Number.isFinite(n) && n > min && n <= max, {
          error: `${what} greater than ${min} and at most ${max}`,
        })
        .optional(),
    );
  }
  const whole = `${name} must be a whole number`;
  return z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: whole })
      .int({ error: whole })
      .min(min, { error: `${name} must be at least ${min}${belowMin ? `: ${belowMin}` : ''}` })
      .max(max, { error: `${name} must be at most ${max}` })
      .optional(),
  );
}

/**
 * An optional switch, 1 or 0 (true or false also read): true when on. `on` says what 1 does, for
 * the refusal of any other value.
 */
export function flag(name: string, on: string) {
  return z
    .preprocess(
      (value) => (typeof value === 'string' ? blankToUndefined(value.trim()) : value),
      z.enum(['1', '0', 'true', 'false'], { error: `${name} must be 1 (${on}) or 0` }).optional(),
    )
    .transform((value) => value === '1' || value === 'true');
}

export type Loaded<T> = { ok: true; config: T } | { ok: false; message: string };

/** The one wording of a refused configuration; `advice` says where to fix it. */
export function invalidConfiguration(problems: readonly string[], advice = ''): string {
  return `Invalid configuration: ${problems.join('; ')}.${advice ? ` ${advice}` : ''}`;
}

/** Variables whose value is never repeated in a message: it is a credential. */
const SECRET = /KEY|TOKEN|SECRET/;

/**
 * Parses `values` with `schema`; a failure lists every bad variable with the value it had (never a
 * credential's), so the user can spot it. `shown` names a variable as the user set it (e.g. PORT
 * given as --port).
 */
export function parseVariables<S extends z.ZodType>(
  schema: S,
  values: Record<string, unknown>,
  shown: (name: string) => string = (name) => name,
): { ok: true; data: z.output<S> } | { ok: false; problems: string[] } {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const message = issue.message.replace(name, shown(name));
    return SECRET.test(name) ? message : `${message} (got ${JSON.stringify(values[name])})`;
  });
  return { ok: false, problems };
}
