// Every action is confirmed in a dialog that shows the equivalent command line (asked from the
// server, which builds it from the same input it would run), then run; the result or the error
// is shown in the form's result box.
import { postJson, enc } from './api.js';
import { esc } from './format.js';

function ask(title, cli) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-cli').textContent = cli;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

/** Runs an action after confirmation; writes the outcome into `out`. Resolves to the result or null. */
export async function runAction(name, title, body, out) {
  out.className = 'result';
  out.textContent = 'Checking…';
  try {
    const { cli } = await postJson(`/api/actions/${enc(name)}/preview`, body);
    out.textContent = '';
    if (!(await ask(title, cli))) {
      out.textContent = 'Cancelled.';
      return null;
    }
    out.textContent = 'Running…';
    const r = await postJson(`/api/actions/${enc(name)}`, body);
    out.className = 'result ok';
    const details = r.details === undefined || r.details === '' || (Array.isArray(r.details) && r.details.length === 0) ? '' : `<pre>${esc(typeof r.details === 'string' ? r.details : JSON.stringify(r.details, null, 2))}</pre>`;
    out.innerHTML = `<strong>${esc(r.message)}</strong><div class="muted">Equivalent: <code>${esc(r.cli)}</code></div>${details}`;
    return r;
  } catch (e) {
    out.className = 'result error';
    out.textContent = e.message;
    return null;
  }
}

/**
 * Runs fn(values, resultElement) when the form with this id inside container is submitted; an
 * error fn throws (e.g. a bad "name=value" line) is shown in the form's result element. Forms a
 * read-only console does not render are skipped.
 */
export function bindForm(container, id, fn) {
  const form = container.querySelector(`#${id}`);
  if (!form) return;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = form.querySelector('.result');
    try {
      await fn(formValues(form), out);
    } catch (e) {
      out.className = 'result error';
      out.textContent = e.message;
    }
  });
}

/** Reads a form's named fields into an object (checkboxes as booleans). */
export function formValues(form) {
  const v = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    v[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  return v;
}

/** "k=v" lines to an object. */
export function parseConfigLines(text) {
  const out = {};
  for (const line of String(text || '').split(/\n|,/)) {
    const t = line.trim();
    if (t === '') continue;
    const i = t.indexOf('=');
    if (i <= 0) throw new Error(`'${t}' is not name=value.`);
    out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return out;
}
