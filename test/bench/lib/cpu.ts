/**
 * CPU time of processes on this machine, from /proc (Linux): what a bench spends per operation in
 * its children and in their PostgreSQL backends, which the shared machine's wall clock cannot tell.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** utime + stime of a process in seconds, or null once it has exited (or off Linux). */
export function cpuSecondsOf(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (2nd field) may hold spaces: count the fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * The CPU a changing set of processes spends from the first `sample()` on, sampled until the caller
 * stops: a process is counted up to its last sample (one that exits loses at most one interval), and
 * one that appears after the first sample from its start (a connection opened during the window).
 */
export class CpuMeter {
  private readonly since = new Map<number, number>();
  private readonly latest = new Map<number, number>();
  private started = false;

  /** Asked at every sample: processes come and go. */
  constructor(private readonly pids: () => Promise<number[]>) {}

  async sample(): Promise<void> {
    for (const pid of await this.pids()) {
      const seconds = cpuSecondsOf(pid);
      if (seconds === null) continue;
      if (!this.since.has(pid)) this.since.set(pid, this.started ? 0 : seconds);
      this.latest.set(pid, seconds);
    }
    this.started = true;
  }

  seconds(): number {
    let total = 0;
    for (const [pid, latest] of this.latest) total += latest - (this.since.get(pid) ?? 0);
    return total;
  }
}
