// Turns the raw runs of run-all.mjs into medians, per-delta figures and ratios to the raw SDK.
import { WORKLOADS } from './workloads.mjs';

export const median = (values) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * One row per (workload, contender) that ran: medians of wall and CPU time per delta (µs), of
 * peak RSS (MB), the spread of CPU per delta, and — next to the raw SDK of the same workload —
 * the added CPU per delta, in µs and %, and the ratios.
 */
export function summarize(data) {
  const rows = [];
  for (const id of data.workloads) {
    const workload = WORKLOADS.find((candidate) => candidate.id === id);
    const deltas = workload.measuredDeltas;
    const byContender = new Map();
    for (const run of data.runs.filter((candidate) => candidate.workload === id)) {
      if (!byContender.has(run.contender)) byContender.set(run.contender, []);
      byContender.get(run.contender).push(run);
    }
    const workloadRows = [];
    for (const contender of workload.contenders) {
      const runs = byContender.get(contender);
      if (runs === undefined) continue;
      const cpuPerDelta = runs.map((run) => (run.cpuMs * 1000) / deltas);
      workloadRows.push({
        workload,
        contender,
        runs: runs.length,
        wallUs: median(runs.map((run) => (run.wallMs * 1000) / deltas)),
        cpuUs: median(cpuPerDelta),
        cpuMinUs: Math.min(...cpuPerDelta),
        cpuMaxUs: Math.max(...cpuPerDelta),
        peakRssMb: median(runs.map((run) => run.peakRssMb)),
        rssBeforeMb: median(runs.map((run) => run.rssBeforeMb)),
        peakHeapMb: median(runs.map((run) => run.peakHeapMb ?? Number.NaN)),
        peakArrayBuffersMb: median(runs.map((run) => run.peakArrayBuffersMb ?? Number.NaN)),
        rssSpreadMb: [
          Math.min(...runs.map((run) => run.peakRssMb)),
          Math.max(...runs.map((run) => run.peakRssMb)),
        ],
        mismatch: runs.find((run) => run.mismatch)?.mismatch,
        warmupDeltas: median(runs.map((run) => run.warmupDeltas ?? Number.NaN)),
      });
    }
    const raw = workloadRows.find((row) => row.contender === 'raw');
    for (const row of workloadRows) {
      if (raw === undefined) continue;
      row.addedUs = row.cpuUs - raw.cpuUs;
      row.addedPercent = (100 * row.addedUs) / raw.cpuUs;
      row.cpuRatio = row.cpuUs / raw.cpuUs;
      row.wallRatio = row.wallUs / raw.wallUs;
      row.rssRatio = row.peakRssMb / raw.peakRssMb;
      row.heapRatio = row.peakHeapMb / raw.peakHeapMb;
    }
    rows.push(...workloadRows);
  }
  return rows;
}

/** Median cold import per package, in ms. */
export function summarizeImports(imports) {
  return imports.map((entry) => ({
    ...entry,
    medianMs: median(entry.samples),
    minMs: entry.samples.length ? Math.min(...entry.samples) : Number.NaN,
    maxMs: entry.samples.length ? Math.max(...entry.samples) : Number.NaN,
  }));
}
