// Consumer groups of both kinds: Kafka groups (offsets in __consumer_offsets) and legacy groups
// (offsets in ZooKeeper /consumers), with state, members, topics and total lag.
import { getJson, enc } from '../api.js';
import { esc, num } from '../format.js';

export function mount(container) {
  container.innerHTML = `<h2>Consumer groups</h2><div id="group-errors"></div>
    <table id="groups"><thead><tr><th>Group</th><th>Offsets kept in</th><th>State</th><th>Members</th><th>Topics</th><th>Total lag</th></tr></thead><tbody></tbody></table>`;
  return {
    async refresh() {
      const g = await getJson('/api/groups');
      container.querySelector('#group-errors').innerHTML = g.errors.map((e) => `<p class="warn">${esc(e)}</p>`).join('');
      container.querySelector('#groups tbody').innerHTML = g.groups.length
        ? g.groups
            .map(
              (x) => `<tr data-group="${esc(x.group)}"><td><a href="#/groups/${x.kind}/${enc(x.group)}">${esc(x.group)}</a></td><td>${x.kind === 'zookeeper' ? 'ZooKeeper (legacy)' : 'Kafka'}</td>
              <td>${esc(x.state)}${x.error ? ` <span class="bad">${esc(x.error)}</span>` : ''}</td><td>${x.members}</td><td>${x.topics.map(esc).join(', ')}</td><td class="lag">${num(x.totalLag)}</td></tr>`,
            )
            .join('')
        : '<tr><td colspan="6" class="muted">No consumer groups.</td></tr>';
    },
    destroy() {},
  };
}
