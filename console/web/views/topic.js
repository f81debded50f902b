// A topic: every partition's leader, replicas, ISR, log start/end offsets and size, its config
// overrides, the groups that read it, its throughput chart, and the topic actions (add
// partitions, change configs, preferred leader election, delete). An unknown topic is a sentence.
import { getJson, enc } from '../api.js';
import { lineChart } from '../charts.js';
import { bindForm, parseConfigLines, runAction } from '../confirm.js';
import { bytes, esc, list, num, rate } from '../format.js';

export function mount(container, { topic }, ctx) {
  container.innerHTML = `<h2>Topic <span id="topic-name">${esc(topic)}</span></h2><div id="topic-error"></div><div id="topic-body" hidden>
    <div id="summary" class="cards"></div>
    <div id="topic-chart" class="chart"></div>
    <h3>Config overrides</h3><div id="configs"></div>
    <h3>Partitions</h3>
    <table id="partitions"><thead><tr><th>Partition</th><th>Leader</th><th>Replicas</th><th>ISR</th><th>Offline</th><th>Log start</th><th>Log end</th><th>Messages</th><th>Size (leader)</th><th></th></tr></thead><tbody></tbody></table>
    <h3>Consumer groups</h3><div id="groups"></div>
    ${ctx.readOnly ? '' : `<h3>Actions</h3><div class="forms">
      <form id="add-partitions"><h4>Add partitions</h4><label>New partition count <input name="partitions" type="number" min="1" required></label><button>Add partitions…</button><div class="result"></div></form>
      <form id="alter-config"><h4>Change configs</h4><label>Set (name=value, one per line)<textarea name="set" rows="3" placeholder="retention.ms=86400000"></textarea></label><label>Remove (names, comma-separated) <input name="remove"></label><button>Change configs…</button><div class="result"></div></form>
      <form id="election"><h4>Preferred leader election</h4><label>Partition (empty: all) <input name="partition" type="number" min="0"></label><button>Elect preferred leaders…</button><div class="result"></div></form>
      <form id="delete"><h4>Delete topic</h4><p class="muted">Marks the topic for deletion; the controller deletes it.</p><button class="danger">Delete ${esc(topic)}…</button><div class="result"></div></form>
    </div>`}</div>`;
  const chart = lineChart(container.querySelector('#topic-chart'), 'Throughput', ['messages in/s', 'bytes in/s', '≈ bytes out/s'], (v) => rate(v, ''), [1, 2], (v) => `${bytes(Math.round(v))}/s`);
  const on = (id, fn) => bindForm(container, id, fn);
  on('add-partitions', (v, out) => runAction('add-partitions', `Add partitions to ${topic}`, { topic, partitions: v.partitions }, out));
  on('alter-config', (v, out) =>
    runAction('alter-topic-config', `Change configs of ${topic}`, { topic, set: parseConfigLines(v.set), remove: v.remove.split(',').map((s) => s.trim()).filter(Boolean) }, out),
  );
  on('election', (v, out) => runAction('preferred-election', `Preferred leader election for ${topic}`, { topic, partition: v.partition }, out));
  on('delete', (_v, out) => runAction('delete-topic', `Delete topic ${topic}`, { topic }, out));

  return {
    async refresh() {
      let t;
      try {
        t = await getJson(`/api/topics/${enc(topic)}`);
      } catch (e) {
        if (e.status !== 404) throw e;
        container.querySelector('#topic-error').innerHTML = `<p class="error" id="not-found">${esc(e.message)} <a href="#/topics">All topics</a></p>`;
        container.querySelector('#topic-body').hidden = true;
        return;
      }
      container.querySelector('#topic-error').innerHTML = t.markedForDeletion ? '<p class="warn">This topic is marked for deletion.</p>' : t.pending ? '<p class="muted">The brokers do not know this topic yet: the controller is creating its partitions.</p>' : '';
      container.querySelector('#topic-body').hidden = false;
      const messages = t.partitions.reduce((n, p) => n + Math.max(0, (p.logEndOffset ?? 0) - (p.logStartOffset ?? 0)), 0);
      container.querySelector('#summary').innerHTML = [
        ['Partitions', t.partitions.length],
        ['Replication', t.partitions[0]?.replicas.length ?? 0],
        ['min.insync.replicas', t.minInsyncReplicas],
        ['Size on disk', bytes(t.sizeOnDisk)],
        ['Messages', num(messages)],
        ['Messages in', rate(t.rates.messagesInPerSec)],
        ['Bytes in', `${bytes(Math.round(t.rates.bytesInPerSec))}/s`],
      ]
        .map(([k, v]) => `<div class="card"><div class="k">${k}</div><div class="v">${v}</div></div>`)
        .join('');
      const cfg = Object.entries(t.configs);
      container.querySelector('#configs').innerHTML = cfg.length ? `<table id="config-table"><tbody>${cfg.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">None: broker defaults apply.</p>';
      container.querySelector('#partitions tbody').innerHTML = t.partitions
        .map((p) => {
          const cls = p.leader < 0 ? 'bad-row' : p.isr.length < p.replicas.length ? 'warn-row' : '';
          return `<tr class="${cls}"><td>${p.partition}</td><td>${p.leader < 0 ? '<span class="bad">none</span>' : p.leader}</td><td>${list(p.replicas)}</td><td>${list(p.isr)}</td><td>${list(p.offlineReplicas)}</td>
            <td>${num(p.logStartOffset)}</td><td>${num(p.logEndOffset)}</td><td>${p.logEndOffset === undefined ? '–' : num(p.logEndOffset - p.logStartOffset)}</td><td>${bytes(p.leaderSize)}</td>
            <td><a href="#/topics/${enc(topic)}/messages?partition=${p.partition}">messages</a></td></tr>`;
        })
        .join('');
      container.querySelector('#groups').innerHTML = t.groups.length
        ? `<ul>${t.groups.map((g) => `<li><a href="#/groups/${g.kind}/${enc(g.group)}">${esc(g.group)}</a> (${g.kind === 'zookeeper' ? 'legacy, ZooKeeper' : 'Kafka'}): lag ${num(g.lag)}</li>`).join('')}</ul>`
        : '<p class="muted">No group has offsets for this topic.</p>';
      chart.update(t.history);
    },
    destroy() {
      chart.destroy();
    },
  };
}
