/**
 * CPU time of processes on this machine, and of the machine itself, from /proc (Linux): what a bench
 * spends per operation in its children and in their PostgreSQL backends, which the shared machine's
 * wall clock cannot tell.
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
 * CPU seconds the whole machine has been busy since it booted, all cores together (/proc/stat:
 * user, nice, system, irq and softirq; not idle, I/O wait or the hypervisor's steal).
 */
export function machineBusySeconds(): number {
  // The first line sums the cores: "cpu  user nice system idle iowait irq softirq steal …".
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq) / TICKS_PER_SECOND;
}

/**
 * TCP segments the machine has sent since it booted (/proc/net/snmp's `OutSegs`): on loopback, one
 * per message between two processes (a statement, its result, an HTTP request or answer) and per
 * acknowledgement, whichever system call sent it.
 */
export function tcpSegmentsSent(): number {
  const [names, values] = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Tcp:'))
    .map((line) => line.split(/\s+/));
  return Number(values[names.indexOf('OutSegs')]);
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
