'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const BENCH = path.join(ROOT, 'bench');
const RAW = path.join(BENCH, 'results', 'raw');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Sorted copy → value at quantile q (nearest rank). */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Latency samples (ms, floats) → { p50, p99, max }. */
function latencySummary(samples) {
  const sorted = Float64Array.from(samples).sort();
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/** Peak resident set (VmHWM) and current RSS of a process, MB. */
function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return { hwmMb: NaN, rssMb: NaN };
  }
}

/** CPU time (user+sys, ms) a process has used so far. */
function cpuMsOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, USER_HZ = 100
  } catch {
    return NaN;
  }
}

/** Linux PSI: share of the last 60 s in which some runnable task waited for a CPU. */
function cpuPressure() {
  return machinePressure().psi60;
}

/**
 * How busy the machine is right now, apart from what we measure: load averages (1, 5, 15 min)
 * and CPU pressure (PSI "some": share of the last 10 / 60 s in which a runnable task waited for a core).
 */
function machinePressure() {
  let psi10 = NaN;
  let psi60 = NaN;
  try {
    const m = /some avg10=([\d.]+) avg60=([\d.]+)/.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    psi10 = Number(m[1]);
    psi60 = Number(m[2]);
  } catch {}
  return { at: new Date().toISOString(), load: require('node:os').loadavg(), psi10, psi60 };
}

async function waitFor(probe, { timeoutMs = 30_000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
}

function log(...parts) {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${t}] ${parts.join(' ')}\n`);
}

module.exports = { cpuPressure, machinePressure, ROOT, BENCH, RAW, sleep, freePort, quantile, median, latencySummary, memoryOf, cpuMsOf, waitFor, log };
