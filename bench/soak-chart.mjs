// The soak's summary (is RSS flat after the warm-up?) and its chart: RSS and heap over minutes, plain SVG.

const WARMUP_MINUTES = 5;

/** Least-squares slope of `key` over minutes, in MB per 10 minutes. */
function slopePer10Minutes(samples, key) {
  if (samples.length < 2) return Number.NaN;
  const meanX = samples.reduce((sum, s) => sum + s.minute, 0) / samples.length;
  const meanY = samples.reduce((sum, s) => sum + s[key], 0) / samples.length;
  let numerator = 0;
  let denominator = 0;
  for (const s of samples) {
    numerator += (s.minute - meanX) * (s[key] - meanY);
    denominator += (s.minute - meanX) ** 2;
  }
  return denominator === 0 ? Number.NaN : (10 * numerator) / denominator;
}

const round1 = (value) => Math.round(value * 10) / 10;

/** RSS and heap after the warm-up: first, last, min, max and the trend. */
export function summarizeSoak(soak) {
  const after = soak.samples.filter((s) => s.minute >= WARMUP_MINUTES);
  const last = soak.samples.at(-1);
  const summary = {
    minutes: last?.minute ?? 0,
    completedStreams: last?.completed ?? 0,
    failedStreams: last?.failed ?? 0,
    warmupMinutes: WARMUP_MINUTES,
  };
  if (after.length < 2) return summary;
  for (const key of ['rssMb', 'heapUsedMb']) {
    const values = after.map((s) => s[key]);
    summary[key] = {
      first: values[0],
      last: values.at(-1),
      min: Math.min(...values),
      max: Math.max(...values),
      slopeMbPer10Minutes: round1(slopePer10Minutes(after, key)),
    };
  }
  return summary;
}

const WIDTH = 640;
const HEIGHT = 300;
const LEFT = 56;
const BOTTOM = 40;
const TOP = 40;
const SERIES = [
  { key: 'rssMb', label: 'RSS', color: '#2563eb' },
  { key: 'heapTotalMb', label: 'heap total', color: '#93c5fd' },
  { key: 'heapUsedMb', label: 'heap used', color: '#16a34a' },
  { key: 'arrayBuffersMb', label: 'ArrayBuffers', color: '#888' },
];

/** RSS, heap and ArrayBuffers (MB) against minutes. */
export function renderSoakChart(soak) {
  const samples = soak.samples;
  const maxMinute = Math.max(1, ...samples.map((s) => s.minute));
  const maxMb = Math.max(50, ...samples.map((s) => s.rssMb)) * 1.1;
  const x = (minute) => LEFT + ((WIDTH - LEFT - 20) * minute) / maxMinute;
  const y = (mb) => HEIGHT - BOTTOM - ((HEIGHT - BOTTOM - TOP) * mb) / maxMb;
  const parts = [];
  for (let mb = 0; mb <= maxMb; mb += maxMb > 400 ? 100 : 50) {
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - 20}" y1="${y(mb).toFixed(1)}" y2="${y(mb).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${LEFT - 6}" y="${(y(mb) + 4).toFixed(1)}" text-anchor="end">${mb}</text>`,
    );
  }
  const step = maxMinute > 30 ? 10 : maxMinute > 10 ? 5 : 1;
  for (let minute = 0; minute <= maxMinute; minute += step) {
    parts.push(
      `<text x="${x(minute).toFixed(1)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${minute}</text>`,
    );
  }
  SERIES.forEach((series, index) => {
    const points = samples.map((s) => `${x(s.minute).toFixed(1)},${y(s[series.key]).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline fill="none" stroke="${series.color}" stroke-width="1.5" points="${points}"/>`,
      `<text x="${LEFT + 10 + index * 110}" y="${TOP - 8}" fill="${series.color}">${series.label}</text>`,
    );
  });
  const last = samples.at(-1);
  const title = `Soak: ${soak.streams} concurrent streams, ${last?.completed ?? 0} completed in ${round1(last?.minute ?? 0)} min (MB over minutes)`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11">
<text x="${LEFT}" y="16" font-size="13">${title}</text>
${parts.join('\n')}
<text x="${WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle">minutes</text>
</svg>
`;
}
