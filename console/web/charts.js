// Line charts over the last minutes with uPlot (served from node_modules, no build step).
// A chart is created once per page and fed new data on each refresh.
import uPlot from '/vendor/uplot/uPlot.esm.js';

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#dc2626'];

/** labels: one per series in the server's `values`; fmt formats the y axis. */
export function lineChart(container, title, labels, fmt = (v) => String(v)) {
  let plot = null;
  const opts = (width) => ({
    title,
    width,
    height: 180,
    scales: { x: { time: true } },
    axes: [{}, { values: (_u, ticks) => ticks.map(fmt), size: 70 }],
    series: [{}, ...labels.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5, value: (_u, v) => (v === null ? '–' : fmt(v)) }))],
  });
  return {
    update(series) {
      const data = series ? [series.t.map((t) => t / 1000), ...labels.map((_, i) => series.values[i] ?? [])] : [[], ...labels.map(() => [])];
      const width = Math.max(300, Math.min(container.clientWidth || 600, 900));
      if (plot === null) plot = new uPlot(opts(width), data, container);
      else plot.setData(data);
    },
    destroy() {
      if (plot) plot.destroy();
      plot = null;
    },
  };
}
