'use strict';
// How much of the machine the other tenants took while the bench ran: the CPU time all processes
// used (/proc/stat) minus what the bench's own processes used — the bench itself, every process
// it started (their descendants included) and PostgreSQL's (re-parented to init by pg_ctl, so
// named by their postmaster). Sampled every `intervalMs`; a process of ours that exits between two
// samples loses its last interval to "others", a small overstatement.
const fs = require('node:fs');
const os = require('node:os');

const TICK_MS = 10; // USER_HZ = 100

function machineBusyMs() {
  const [cpu] = fs.readFileSync('/proc/stat', 'utf8').split('\n');
  const [, user, nice, system, idle, iowait, irq, softirq, steal] = cpu.trim().split(/\s+/).map(Number);
  return { busy: (user + nice + system + irq + softirq + steal) * TICK_MS, idle: (idle + iowait) * TICK_MS };
}

function processTable() {
  const table = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      table.set(Number(entry), { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
    } catch {}
  }
  return table;
}

function oursIn(table, roots) {
  const ours = new Set();
  for (const pid of table.keys()) {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = table.get(p)?.ppid ?? 0, hops += 1) {
      if (roots.has(p)) {
        ours.add(pid);
        break;
      }
    }
  }
  return ours;
}

/** Starts sampling; `extraRoots()` names more roots (PostgreSQL's postmaster once started). */
function startOthersSampler({ intervalMs = 2000, extraRoots = () => [] } = {}) {
  const seen = new Map(); // pid → last CPU ms of a process of ours
  let oursMs = 0;
  const sample = () => {
    const table = processTable();
    const roots = new Set([process.pid, ...extraRoots()]);
    for (const pid of oursIn(table, roots)) {
      const cpuMs = table.get(pid).cpuMs;
      oursMs += cpuMs - (seen.get(pid) ?? 0);
      seen.set(pid, cpuMs);
    }
  };
  // Processes of ours that already ran before sampling began count from here on.
  const first = processTable();
  for (const pid of oursIn(first, new Set([process.pid]))) seen.set(pid, first.get(pid).cpuMs);
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  /** A mark: the machine's busy time and ours so far. */
  const mark = () => {
    sample();
    return { at: performance.now(), machine: machineBusyMs(), oursMs };
  };
  /** Share of the machine (0–1, all cores) the others used between two marks, and ours. */
  const between = (a, b) => {
    const capacityMs = (b.at - a.at) * os.cpus().length;
    const busyMs = b.machine.busy - a.machine.busy;
    const ours = b.oursMs - a.oursMs;
    return { othersShare: Math.max(0, (busyMs - ours) / capacityMs), oursShare: ours / capacityMs, wallMs: b.at - a.at };
  };
  return { mark, between, stop: () => clearInterval(timer) };
}

module.exports = { startOthersSampler };
