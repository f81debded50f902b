// Line charts over the last minutes with uPlot (served from node_modules, no build step).
// A chart is created once per page and fed new data on each refresh.
import uPlot from '/vendor/uplot/uPlot.esm.js';

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#dc2626'];

/**
 * labels: one per series in the server's `values`; fmt formats the y axis. `rightAxis` lists the
 * indexes drawn against a second axis on the right (bytes next to message counts), formatted by fmtRight.
 */
export function lineChart(container, title, labels, fmt = (v) => String(v), rightAxis = [], fmtRight = fmt) {
  let plot = null;
  const scaleOf = (i) => (rightAxis.includes(i) ? 'right' : 'y');
  const opts = (width) => ({
    title,
    width,
    height: 180,
    // One sample would make uPlot span years: show the last minute around it instead.
    scales: { x: { time: true, range: (_u, min, max) => (min === max ? [min - 60, max + 5] : [min, max]) } },
    axes: [
      {},
      { scale: 'y', values: (_u, ticks) => ticks.map(fmt), size: 70 },
      ...(rightAxis.length ? [{ scale: 'right', side: 1, grid: { show: false }, values: (_u, ticks) => ticks.map(fmtRight), size: 80 }] : []),
    ],
    series: [{}, ...labels.map((label, i) => ({ label, scale: scaleOf(i), stroke: COLORS[i % COLORS.length], width: 1.5, value: (_u, v) => (v === null ? '–' : (rightAxis.includes(i) ? fmtRight : fmt)(v)) }))],
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
