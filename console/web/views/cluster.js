// Cluster page: problems first (offline, under-replicated, under-min-ISR partitions, brokers
// missing from replica lists, running reassignments, what could not be read), then the
// controller and totals, the brokers, and the cluster's throughput chart.
import { getJson } from '../api.js';
import { lineChart } from '../charts.js';
import { ago, bytes, esc, list, num, rate, time } from '../format.js';

function partitionRows(items) {
  return items
    .map((p) => `<tr><td><a href="#/topics/${encodeURIComponent(p.topic)}">${esc(p.topic)}</a></td><td>${p.partition}</td><td>${p.leader < 0 ? '<span class="bad">none</span>' : p.leader}</td><td>${list(p.replicas)}</td><td>${list(p.isr)}</td></tr>`)
    .join('');
}

/** Counts per topic first (a dead broker makes hundreds of rows), the rows themselves folded when many. */
function problemBlock(id, title, problem) {
  if (problem.count === 0) return '';
  const perTopic = new Map();
  for (const p of problem.items) perTopic.set(p.topic, (perTopic.get(p.topic) ?? 0) + 1);
  const summary = [...perTopic].map(([t, n]) => `<a href="#/topics/${encodeURIComponent(t)}">${esc(t)}</a> (${n})`).join(', ');
  const more = problem.count > problem.items.length ? ` Showing ${problem.items.length} of ${problem.count}.` : '';
  return `<section class="problem" id="${id}"><h3>${esc(title)}: <span class="count">${problem.count}</span></h3><p>${summary}${more}</p>
    <details${problem.count <= 20 ? ' open' : ''}><summary>Partitions</summary>
    <table><thead><tr><th>Topic</th><th>Partition</th><th>Leader</th><th>Replicas</th><th>ISR</th></tr></thead><tbody>${partitionRows(problem.items)}</tbody></table></details></section>`;
}

export function mount(container) {
  container.innerHTML = `<h2>Cluster</h2><div id="problems"></div><div id="summary" class="cards"></div>
    <h3>Brokers</h3><table id="brokers"><thead><tr><th>Id</th><th>Host:port</th><th>Rack</th><th>Protocol</th><th>Up since</th><th>Leaders</th><th>Partitions</th><th>Log dirs</th></tr></thead><tbody></tbody></table>
    <h3>Throughput</h3><div id="cluster-chart" class="chart"></div>`;
  const chart = lineChart(container.querySelector('#cluster-chart'), 'Cluster', ['messages in/s', 'bytes in/s', '≈ bytes out/s'], (v) => rate(v, ''), [1, 2], (v) => `${bytes(Math.round(v))}/s`);
  return {
    async refresh() {
      const c = await getJson('/api/cluster');
      const p = c.problems;
      const missing = p.missingBrokers.length
        ? `<section class="problem" id="missing-brokers"><h3>Brokers in replica lists but not registered: <span class="count">${p.missingBrokers.length}</span></h3><ul>${p.missingBrokers.map((m) => `<li>broker ${m.broker}: ${num(m.partitions)} partition replica(s)</li>`).join('')}</ul></section>`
        : '';
      const reassigning = c.reassigning.length ? `<section class="problem info"><h3>Reassignment in progress: ${c.reassigning.length} partition(s)</h3><p><a href="#/actions">See its progress</a></p></section>` : '';
      const errors = c.readErrors.length ? `<section class="problem info"><h3>Could not read everything</h3><ul>${c.readErrors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></section>` : '';
      const none = !p.offline.count && !p.underReplicated.count && !p.underMinIsr.count && !p.missingBrokers.length ? '<p class="ok" id="healthy">No offline, under-replicated or under-min-ISR partitions.</p>' : '';
      container.querySelector('#problems').innerHTML =
        none + problemBlock('offline', 'Offline partitions', p.offline) + problemBlock('under-replicated', 'Under-replicated partitions', p.underReplicated) + problemBlock('under-min-isr', 'Under min ISR partitions', p.underMinIsr) + missing + reassigning + errors;
      const t = c.totals;
      container.querySelector('#summary').innerHTML = [
        ['Cluster id', esc(c.clusterId ?? '–')],
        ['Controller', c.controller.id === null ? '<span class="bad">none</span>' : `broker ${c.controller.id}`],
        ['Controller epoch', c.controller.epoch ?? '–'],
        ['Brokers', num(t.brokers)],
        ['Topics', num(t.topics)],
        ['Partitions', num(t.partitions)],
        ['Replicas', num(t.replicas)],
        ['Size on disk', bytes(t.sizeOnDisk)],
        ['Messages in', rate(t.messagesInPerSec)],
        ['Bytes in', `${bytes(Math.round(t.bytesInPerSec))}/s`],
        ['Read in', `${c.readMs} ms`],
      ]
        .map(([k, v]) => `<div class="card"><div class="k">${k}</div><div class="v">${v}</div></div>`)
        .join('');
      container.querySelector('#brokers tbody').innerHTML = c.brokers
        .map(
          (b) => `<tr data-broker="${b.id}"><td>${b.id}${b.id === c.controller.id ? ' <span class="tag">controller</span>' : ''}</td><td>${esc(b.host)}:${b.port}</td><td>${esc(b.rack ?? '–')}</td><td>${esc(b.version ?? '–')}</td>
          <td title="${time(b.registeredAt)}">${ago(b.registeredAt)}</td><td>${num(b.leaders)}</td><td>${num(b.replicas)}</td>
          <td>${b.logDirs.map((d) => `${esc(d.path)}${d.error ? ` <span class="bad">${esc(d.error)}</span>` : ''}`).join('<br>') || '–'}</td></tr>`,
        )
        .join('');
      chart.update(c.history);
    },
    destroy() {
      chart.destroy();
    },
  };
}
