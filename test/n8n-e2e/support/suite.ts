// What both e2e files do around their tests: get n8n, stage the packed package, make a throwaway
// n8n home, and print the timing figures at the end.
import { N8nHome } from './n8n-cli.ts';
import { ensureN8n, type N8nInstall } from './n8n-install.ts';
import { stagePackage, type StagedPackage } from './package-stage.ts';
import { PhaseTimings } from './timings.ts';

/** Installing n8n on a fresh machine takes about 7-10 minutes; leave room for a slow registry. */
export const SETUP_TIMEOUT_MS = 30 * 60_000;
/** One `n8n execute` boots n8n (7-20 s on 2 busy cores) and runs a workflow against local Fay. */
export const CASE_TIMEOUT_MS = 180_000;
/** Stopping `n8n start` waits for its running executions (n8n's own limit is set to 20 s). */
export const TEARDOWN_TIMEOUT_MS = 90_000;

export interface E2eSuite {
  install: N8nInstall;
  pkg: StagedPackage;
  n8n: N8nHome;
  timings: PhaseTimings;
}

export async function setUpSuite(label: string): Promise<E2eSuite> {
  const timings = new PhaseTimings(label);
  const pkg = await timings.time('pack', () => stagePackage());
  const install = await timings.time('install', () => ensureN8n());
  const n8n = await N8nHome.create({ install, pkg, timings });
  return { install, pkg, n8n, timings };
}

export async function tearDownSuite(suite: E2eSuite | undefined): Promise<void> {
  if (!suite) return;
  process.stderr.write(`${suite.timings.summary(suite.install)}\n`);
  await suite.n8n.dispose();
  await suite.pkg.dispose();
}
