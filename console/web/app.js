// The single-page client: a hash router (#/cluster, #/topics, #/topics/<t>, #/topics/<t>/messages,
// #/groups, #/groups/<kind>/<g>, #/actions) and one refresh loop. Each view exports
// mount(container, params, ctx) -> { refresh(), destroy() }; the loop calls refresh() every
// refresh interval, so data updates without reloading and forms keep what was typed.
import { getJson } from './api.js';
import { esc } from './format.js';
import * as cluster from './views/cluster.js';
import * as topics from './views/topics.js';
import * as topic from './views/topic.js';
import * as messages from './views/messages.js';
import * as groups from './views/groups.js';
import * as group from './views/group.js';
import * as actions from './views/actions.js';

const ctx = { readOnly: false, refreshMs: 2000 };
let current = null;
let timer = null;
let generation = 0;

function route(hash) {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/').map(decodeURIComponent);
  const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  if (parts[0] === 'topics' && parts[1] && parts[2] === 'messages') return { view: messages, nav: 'topics', params: { topic: parts[1], query } };
  if (parts[0] === 'topics' && parts[1]) return { view: topic, nav: 'topics', params: { topic: parts[1] } };
  if (parts[0] === 'topics') return { view: topics, nav: 'topics', params: {} };
  if (parts[0] === 'groups' && parts[1] && parts[2]) return { view: group, nav: 'groups', params: { kind: parts[1], group: parts[2] } };
  if (parts[0] === 'groups') return { view: groups, nav: 'groups', params: {} };
  if (parts[0] === 'actions') return { view: actions, nav: 'actions', params: { query } };
  return { view: cluster, nav: 'cluster', params: {} };
}

export function showBanner(message) {
  const b = document.getElementById('banner');
  if (message) {
    b.textContent = message;
    b.hidden = false;
  } else {
    b.hidden = true;
  }
}

async function refreshNow(gen) {
  if (!current || gen !== generation) return;
  const status = document.getElementById('status');
  const started = performance.now();
  try {
    await current.refresh();
    if (gen !== generation) return;
    showBanner(null);
    status.textContent = `updated ${new Date().toLocaleTimeString()} (${Math.round(performance.now() - started)} ms)${ctx.readOnly ? ' · read-only' : ''}`;
  } catch (e) {
    if (gen !== generation) return;
    showBanner(e.message);
    status.textContent = 'refresh failed';
  }
}

function loop(gen) {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    await refreshNow(gen);
    if (gen === generation) loop(gen);
  }, ctx.refreshMs);
}

async function navigate() {
  const gen = ++generation;
  if (current) current.destroy();
  current = null;
  const { view, nav, params } = route(location.hash || '#/cluster');
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === nav);
  const container = document.getElementById('view');
  container.innerHTML = '';
  try {
    current = view.mount(container, params, ctx);
  } catch (e) {
    container.innerHTML = `<p class="error">${esc(e.message)}</p>`;
    return;
  }
  await refreshNow(gen);
  loop(gen);
}

async function start() {
  try {
    const c = await getJson('/api/cluster');
    ctx.readOnly = c.readOnly;
    ctx.refreshMs = c.refreshMs;
    document.body.classList.toggle('read-only', ctx.readOnly);
  } catch (e) {
    showBanner(e.message);
  }
  window.addEventListener('hashchange', navigate);
  await navigate();
}

start();
