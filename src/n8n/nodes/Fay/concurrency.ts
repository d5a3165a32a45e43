// Runs the items through at most `limit` lanes at once and keeps results in input order. The
// first failure stops handing out items and aborts the ones in flight (their signal), then is
// rethrown once every lane has settled, so nothing keeps running after the node returns.

export type ItemWork<T> = (itemIndex: number, signal: AbortSignal) => Promise<T>;

export async function runConcurrently<T>(
  count: number,
  limit: number,
  cancel: AbortSignal | undefined,
  work: ItemWork<T>,
): Promise<T[]> {
  const failure = new AbortController();
  const signal = cancel ? AbortSignal.any([cancel, failure.signal]) : failure.signal;
  const results: T[] = new Array<T>(count);
  let next = 0;
  let firstError: { error: unknown } | undefined;

  const lane = async (): Promise<void> => {
    while (next < count && firstError === undefined) {
      const itemIndex = next++;
      try {
        results[itemIndex] = await work(itemIndex, signal);
      } catch (error) {
        firstError ??= { error };
        failure.abort(error);
      }
    }
  };

  const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, count));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (firstError !== undefined) throw firstError.error;
  return results;
}
