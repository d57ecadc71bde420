// An SVG bar chart of CPU per delta relative to the raw SDK (1× = the SDK alone), per workload
// and contender, on a log scale. Plain SVG text, no dependency.

const COLORS = {
  tokenwire: '#2563eb',
  'tokenwire-sdk': '#1e3a8a',
  'tokenwire-otel': '#93c5fd',
  vercel: '#111827',
  langchain: '#16a34a',
};
const LABEL_WIDTH = 170;
const PLOT_WIDTH = 520;
const BAR_HEIGHT = 14;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const TOP = 64;

const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(rows) {
  const bars = rows.filter((row) => row.contender !== 'raw' && Number.isFinite(row.cpuRatio));
  const workloads = [...new Set(bars.map((row) => row.workload))];
  const maxRatio = Math.max(2, ...bars.map((row) => row.cpuRatio));
  const ticks = [1, 1.5, 2, 5, 10, 20, 50, 100, 200].filter((tick) => tick <= maxRatio * 1.05);
  const top = Math.max(maxRatio, ticks.at(-1));
  const x = (ratio) => LABEL_WIDTH + (PLOT_WIDTH * Math.log(Math.max(ratio, 1))) / Math.log(top * 1.15);
  const parts = [];
  let y = TOP;
  for (const workload of workloads) {
    const group = bars.filter((row) => row.workload === workload);
    const height = group.length * (BAR_HEIGHT + BAR_GAP);
    parts.push(
      `<text x="${LABEL_WIDTH - 10}" y="${y + height / 2 + 4}" text-anchor="end">${escapeXml(workload.id)}</text>`,
    );
    for (const row of group) {
      const width = Math.max(1, x(row.cpuRatio) - LABEL_WIDTH);
      const color = COLORS[row.contender] ?? '#888';
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${color}"/>`,
        `<text x="${(LABEL_WIDTH + width + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 3}" class="value">${row.cpuRatio.toFixed(2)}×</text>`,
      );
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const bottom = y;
  const axis = ticks.map((tick) => {
    const position = x(tick).toFixed(1);
    return (
      `<line x1="${position}" y1="${TOP - 6}" x2="${position}" y2="${bottom - GROUP_GAP}" stroke="#d1d5db"/>` +
      `<text x="${position}" y="${bottom + 4}" text-anchor="middle" class="tick">${tick}×</text>`
    );
  });
  const target = x(1.1).toFixed(1);
  axis.push(
    `<line x1="${target}" y1="${TOP - 14}" x2="${target}" y2="${bottom - GROUP_GAP}" stroke="#dc2626" stroke-dasharray="4 3"/>`,
    `<text x="${target}" y="${TOP - 17}" text-anchor="start" class="tick" fill="#dc2626">1.1× target</text>`,
  );
  const legend = Object.entries(COLORS).map(
    ([name, color], index) =>
      `<rect x="${LABEL_WIDTH + 200 + index * 110}" y="26" width="12" height="12" fill="${color}"/>` +
      `<text x="${LABEL_WIDTH + 200 + index * 110 + 16}" y="36">${name}</text>`,
  );
  const width = LABEL_WIDTH + PLOT_WIDTH + 70;
  const height = bottom + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    '<style>.value{font-size:11px;fill:#374151}.tick{font-size:11px;fill:#6b7280}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">CPU time per delta relative to the raw vendor SDK (1× = the SDK alone; log scale)</text>`,
    ...legend,
    ...axis,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
