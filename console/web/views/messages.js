// Message browser for one partition: from an offset, a timestamp, or the newest records; each
// key, value and header shown as text, pretty JSON or hex; "follow" appends records as they
// arrive (each refresh asks for what follows the last one, with a short long-poll).
import { getJson, enc } from '../api.js';
import { esc, time } from '../format.js';

const SHOW_LIMIT = 1000;

function render(bytes, mode) {
  if (bytes === null) return '<span class="muted">null</span>';
  const pick = mode === 'auto' ? (bytes.json !== null ? 'json' : bytes.text !== null ? 'text' : 'hex') : mode;
  if (pick === 'json' && bytes.json !== null) return `<pre class="json">${esc(bytes.json)}</pre>`;
  if ((pick === 'text' || pick === 'json') && bytes.text !== null) return `<span class="text">${esc(bytes.text)}</span>`;
  const hex = bytes.hex.replace(/(..)/g, '$1 ').trim();
  return `<code class="hex">${esc(hex)}${bytes.size * 2 > bytes.hex.length ? ' …' : ''}</code>`;
}

export function mount(container, { topic, query }) {
  const partition = query.get('partition') ?? '0';
  container.innerHTML = `<h2>Messages of <a href="#/topics/${enc(topic)}">${esc(topic)}</a></h2>
    <form id="browse" class="toolbar">
      <label>Partition <input name="partition" type="number" min="0" value="${esc(partition)}" style="width:5em"></label>
      <label>From <select name="from"><option value="newest">newest</option><option value="offset">offset</option><option value="timestamp">timestamp</option></select></label>
      <input name="offset" type="number" min="0" placeholder="offset" style="width:8em">
      <input name="timestamp" placeholder="2026-01-31T12:00:00Z" style="width:14em">
      <label>Limit <input name="limit" type="number" min="1" max="500" value="50" style="width:5em"></label>
      <label>Show <select name="mode"><option value="auto">auto</option><option value="text">text</option><option value="json">JSON</option><option value="hex">hex</option></select></label>
      <button>Load</button>
      <label><input type="checkbox" name="follow"> follow new records</label>
    </form>
    <div id="range" class="muted"></div><div id="browse-error"></div>
    <table id="records"><thead><tr><th>Offset</th><th>Timestamp</th><th>Key</th><th>Value</th><th>Headers</th></tr></thead><tbody></tbody></table>`;
  const form = container.querySelector('#browse');
  let records = [];
  let next = null;
  let loaded = false;
  const draw = (r) => {
    const mode = form.elements.mode.value;
    container.querySelector('#range').textContent = r ? `Partition ${r.partition}: offsets ${r.logStartOffset} to ${r.logEndOffset}; showing ${records.length} record(s)` : '';
    container.querySelector('#records tbody').innerHTML = records
      .map(
        (m) => `<tr data-offset="${m.offset}"><td>${m.offset}</td><td>${time(m.timestamp)}</td><td class="key">${render(m.key, mode)}</td><td class="value">${render(m.value, mode)}</td>
        <td>${m.headers.map((h) => `<div><b>${esc(h.key)}</b>: ${render(h.value, mode === 'json' ? 'text' : mode)}</div>`).join('')}</td></tr>`,
      )
      .join('');
  };
  let last = null;
  const load = async () => {
    const v = form.elements;
    const q = new URLSearchParams({ limit: v.limit.value || '50' });
    if (v.from.value === 'offset' && v.offset.value !== '') q.set('offset', v.offset.value);
    if (v.from.value === 'timestamp' && v.timestamp.value !== '') q.set('timestamp', v.timestamp.value);
    const r = await getJson(`/api/topics/${enc(topic)}/partitions/${enc(v.partition.value)}/messages?${q}`);
    records = r.records;
    next = r.nextOffset;
    last = r;
    loaded = true;
    container.querySelector('#browse-error').innerHTML = '';
    draw(r);
  };
  const showError = (e) => {
    container.querySelector('#browse-error').innerHTML = `<p class="error">${esc(e.message)}</p>`;
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load().catch(showError);
  });
  form.elements.mode.addEventListener('change', () => draw(last));
  return {
    async refresh() {
      try {
        if (!loaded) return await load();
        if (!form.elements.follow.checked || next === null) return;
        const v = form.elements;
        const r = await getJson(`/api/topics/${enc(topic)}/partitions/${enc(v.partition.value)}/messages?offset=${next}&limit=500&waitMs=1000`);
        if (r.records.length > 0) {
          records = records.concat(r.records).slice(-SHOW_LIMIT);
          next = r.nextOffset;
        }
        last = r;
        draw(r);
      } catch (e) {
        showError(e);
      }
    },
    destroy() {},
  };
}
