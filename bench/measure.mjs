// Timing and memory of child processes, and the statistics every row reports.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// GNU time reports the child's CPU time and peak RSS exactly (from wait4); without it the peak is
// polled from /proc, which can miss a last spike, and CPU time is not known.
const GNU_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0 ? '/usr/bin/time' : null;
const scratch = mkdtempSync(join(tmpdir(), 'kbx-bench-time-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let seq = 0;

/**
 * run starts `cmd argv` with stdout and stderr discarded (except the first 64 KiB of stdout, when
 * `capture`) and resolves with { ms (wall), cpuMs (user+sys, or null), rssMb (peak), status, stdout }.
 */
export function run(cmd, argv, { cwd, capture = false } = {}) {
  const out = GNU_TIME ? join(scratch, `t${seq++}`) : null;
  const [file, args] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', out, cmd, ...argv]] : [cmd, argv];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, args, { cwd, stdio: ['ignore', capture ? 'pipe' : 'ignore', 'ignore'] });
    let stdout = '';
    if (capture) child.stdout.on('data', (c) => stdout.length < 65536 && (stdout += c));
    let hwm = 0;
    const poll = GNU_TIME
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {}
        }, 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      let cpuMs = null;
      let rssKb = hwm || null;
      if (out) {
        // GNU time puts "Command exited with non-zero status N" before the format line.
        const last = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        rmSync(out, { force: true });
        if (last.length === 3 && last.every(Number.isFinite)) {
          cpuMs = (last[0] + last[1]) * 1000;
          rssKb = last[2];
        }
      }
      resolve({ ms, cpuMs, rssMb: rssKb == null ? null : rssKb / 1024, status: code, stdout });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** percentile by the nearest-rank method: p99 of 100 samples is the 99th smallest. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** summary of samples: { median, min, max, samples }. */
export function summary(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs };
}

/**
 * paired runs the baseline and the measure alternately `runs` times, so each ratio compares two
 * runs made under the same load, and returns both summaries and the summary of the ratios.
 */
export async function paired(runs, baseline, measure, pick = (r) => r.ms) {
  const base = [];
  const meas = [];
  const ratios = [];
  const raw = [];
  for (let i = 0; i < runs; i++) {
    const b = await baseline();
    const m = await measure();
    base.push(pick(b));
    meas.push(pick(m));
    ratios.push(pick(m) / pick(b));
    raw.push({ baseline: b, measure: m });
  }
  return { baseline: summary(base), measure: summary(meas), ratio: summary(ratios), raw };
}
