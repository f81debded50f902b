// One consumer group: state, members and their assignments, lag per partition and in total,
// lag over time; reset offsets (Kafka groups) or migrate offsets into Kafka (legacy groups).
import { getJson, enc } from '../api.js';
import { lineChart } from '../charts.js';
import { bindForm, runAction } from '../confirm.js';
import { esc, num } from '../format.js';

export function mount(container, { kind, group }, ctx) {
  const legacy = kind === 'zookeeper';
  container.innerHTML = `<h2>Consumer group <span id="group-name">${esc(group)}</span> <span class="tag">${legacy ? 'offsets in ZooKeeper (legacy)' : 'offsets in Kafka'}</span></h2>
    <div id="group-error"></div><div id="group-body" hidden>
    <div id="summary" class="cards"></div><div id="lag-chart" class="chart"></div>
    <h3>Members</h3><table id="members"><thead><tr><th>Member</th><th>Client id</th><th>Host</th><th>Assignment</th></tr></thead><tbody></tbody></table>
    <h3>Partitions</h3><table id="lags"><thead><tr><th>Topic</th><th>Partition</th><th>Committed</th><th>Log end</th><th>Lag</th><th>Owner</th></tr></thead><tbody></tbody></table>
    ${
      ctx.readOnly
        ? ''
        : legacy
          ? `<h3>Migrate offsets into Kafka</h3><form id="migrate" class="forms"><label><input type="checkbox" name="force"> force (consumers still registered, dual-commit)</label>
             <label><input type="checkbox" name="deleteZkOffsets"> delete the ZooKeeper offsets after a verified copy</label><button>Migrate…</button><div class="result"></div></form>`
          : `<h3>Reset offsets</h3><form id="reset" class="forms"><label>Topic (empty: all) <input name="topic"></label>
             <label>To <select name="to"><option value="earliest">earliest</option><option value="latest">latest</option><option value="offset">offset</option><option value="shift">shift by</option><option value="datetime">date and time</option></select></label>
             <label>Offset / shift <input name="n" type="number"></label><label>Date and time <input name="datetime" placeholder="2026-01-31T12:00:00Z"></label>
             <button>Reset offsets…</button><div class="result"></div></form>`
    }</div>`;
  const chart = lineChart(container.querySelector('#lag-chart'), 'Total lag', ['lag'], (v) => num(Math.round(v)));
  const bind = (id, fn) => bindForm(container, id, fn);
  bind('reset', (v, out) => runAction('reset-offsets', `Reset offsets of ${group}`, { group, topic: v.topic, to: v.to, offset: v.n, shift: v.n, datetime: v.datetime }, out));
  bind('migrate', (v, out) => runAction('migrate-offsets', `Migrate offsets of ${group} into Kafka`, { group, force: v.force, deleteZkOffsets: v.deleteZkOffsets }, out));
  return {
    async refresh() {
      let g;
      try {
        g = await getJson(`/api/groups/${enc(kind)}/${enc(group)}`);
      } catch (e) {
        if (e.status !== 404) throw e;
        container.querySelector('#group-error').innerHTML = `<p class="error" id="not-found">${esc(e.message)} <a href="#/groups">All groups</a></p>`;
        container.querySelector('#group-body').hidden = true;
        return;
      }
      container.querySelector('#group-error').innerHTML = g.error ? `<p class="error">${esc(g.error)}</p>` : '';
      container.querySelector('#group-body').hidden = false;
      container.querySelector('#summary').innerHTML = [
        ['State', esc(g.state)],
        ['Protocol', esc(g.protocol || '–')],
        ['Members', g.members.length],
        ['Total lag', `<span id="total-lag">${num(g.totalLag)}</span>`],
      ]
        .map(([k, v]) => `<div class="card"><div class="k">${k}</div><div class="v">${v}</div></div>`)
        .join('');
      container.querySelector('#members tbody').innerHTML = g.members.length
        ? g.members.map((m) => `<tr><td>${esc(m.memberId)}</td><td>${esc(m.clientId)}</td><td>${esc(m.host)}</td><td>${m.assignment.map((a) => `${esc(a.topic)}: ${a.partitions.join(',')}`).join('<br>')}</td></tr>`).join('')
        : '<tr><td colspan="4" class="muted">No active members.</td></tr>';
      container.querySelector('#lags tbody').innerHTML = g.partitions
        .map((p) => `<tr><td><a href="#/topics/${enc(p.topic)}">${esc(p.topic)}</a></td><td>${p.partition}</td><td>${num(p.committed)}</td><td>${num(p.logEndOffset)}</td><td>${num(p.lag)}</td><td>${esc(p.owner ?? '–')}</td></tr>`)
        .join('');
      chart.update(g.history);
    },
    destroy() {
      chart.destroy();
    },
  };
}
