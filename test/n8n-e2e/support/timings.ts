// Phase timings of an e2e file (install, pack, import, execute, start…), printed at its end: the
// figures for docs/benchmarks.md and for judging CI time.
import type { N8nInstall } from './n8n-install.ts';

export class PhaseTimings {
  readonly label: string;
  private readonly phases = new Map<string, { runs: number; ms: number }>();
  private readonly started = Date.now();

  constructor(label: string) {
    this.label = label;
  }

  add(phase: string, ms: number): void {
    const entry = this.phases.get(phase) ?? { runs: 0, ms: 0 };
    this.phases.set(phase, { runs: entry.runs + 1, ms: entry.ms + ms });
  }

  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.add(phase, Date.now() - started);
    }
  }

  summary(install?: N8nInstall): string {
    const parts = [...this.phases].map(([phase, { runs, ms }]) =>
      runs === 1 ? `${phase} ${secs(ms)}` : `${phase} ${runs}× ${secs(ms / runs)} = ${secs(ms)}`,
    );
    const installed = !install
      ? 'n8n not installed'
      : install.installMs > 0
        ? `n8n installed in ${secs(install.installMs)}`
        : install.waitedMs > 0
          ? `waited ${secs(install.waitedMs)} for another process to install n8n`
          : 'n8n cache reused';
    return `[n8n-e2e] ${this.label}: ${installed}; ${parts.join(', ')}; total ${secs(Date.now() - this.started)}`;
  }
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
