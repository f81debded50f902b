// Cluster-wide actions: create a topic, preferred leader election for every partition, and a
// partition reassignment (generate a plan over chosen brokers, edit it, run it, watch progress).
// Topic and group actions also live on their own pages.
import { getJson } from '../api.js';
import { bindForm, parseConfigLines, runAction } from '../confirm.js';
import { esc, list } from '../format.js';

export function mount(container, _params, ctx) {
  if (ctx.readOnly) {
    container.innerHTML = '<h2>Actions</h2><p class="warn" id="read-only">The console runs in read-only mode: actions are disabled.</p><div id="progress"></div>';
  } else {
    container.innerHTML = `<h2>Actions</h2><div class="forms">
      <form id="create-topic"><h4>Create topic</h4>
        <label>Name <input name="topic" required></label>
        <label>Partitions <input name="partitions" type="number" min="1" value="1" required></label>
        <label>Replication factor <input name="replicationFactor" type="number" min="1" value="1" required></label>
        <label>Configs (name=value, one per line)<textarea name="configs" rows="2"></textarea></label>
        <button>Create…</button><div class="result"></div></form>
      <form id="election-all"><h4>Preferred leader election</h4><p class="muted">Moves leadership back to each partition's first replica, for every partition.</p><button>Elect preferred leaders…</button><div class="result"></div></form>
      <form id="generate"><h4>Reassign partitions: 1. generate a plan</h4>
        <label>Topics (comma-separated) <input name="topics" required></label>
        <label>Onto brokers (comma-separated ids) <input name="brokers" required></label>
        <button>Generate…</button><div class="result"></div></form>
      <form id="execute"><h4>Reassign partitions: 2. run the plan</h4>
        <label>Plan (JSON) <textarea name="json" rows="6" required></textarea></label>
        <button class="danger">Run reassignment…</button><div class="result"></div></form>
    </div><h3>Reassignment progress</h3><div id="progress"></div>`;
  }
  const bind = (id, fn) => bindForm(container, id, fn);
  bind('create-topic', (v, out) =>
    runAction('create-topic', `Create topic ${v.topic}`, { topic: v.topic, partitions: v.partitions, replicationFactor: v.replicationFactor, configs: parseConfigLines(v.configs) }, out),
  );
  bind('election-all', (_v, out) => runAction('preferred-election', 'Preferred leader election for every partition', {}, out));
  bind('generate', async (v, out) => {
    const r = await runAction('generate-reassignment', 'Generate a reassignment plan', { topics: v.topics, brokers: v.brokers }, out);
    if (r && r.details) container.querySelector('#execute textarea').value = r.details.proposed;
  });
  bind('execute', (v, out) => runAction('execute-reassignment', 'Run the reassignment', { json: v.json }, out));
  return {
    async refresh() {
      const p = await getJson('/api/reassignment');
      const statuses = Object.entries(p.statuses);
      container.querySelector('#progress').innerHTML =
        (p.running.length ? `<p><b>Running:</b></p><ul>${p.running.map((r) => `<li>${esc(r.topic)}-${r.partition} → ${list(r.replicas)}</li>`).join('')}</ul>` : '<p class="muted">No reassignment is running.</p>') +
        (statuses.length ? `<p><b>Last plan started here:</b> ${statuses.filter(([, s]) => s === 'completed').length} of ${statuses.length} partition(s) completed.</p><ul>${statuses.map(([k, s]) => `<li>${esc(k)}: ${esc(s)}</li>`).join('')}</ul>` : '');
    },
    destroy() {},
  };
}
