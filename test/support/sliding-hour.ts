// The most calls made in any sliding hour: what a status budget promises never to exceed.
const HOUR_MS = 3_600_000;

/** `times` in ms, in ascending order. */
export function busiestHour(times: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; j < times.length; j += 1) {
    while ((times[j] as number) - (times[i] as number) >= HOUR_MS) i += 1;
    most = Math.max(most, j - i + 1);
  }
  return most;
}
