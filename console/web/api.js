// Talks to the console server. Every failure becomes an Error carrying the server's sentence,
// so views can show it instead of going blank.
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function parse(res) {
  const text = await res.text();
  let body = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(`The server answered ${res.status} with something that is not JSON.`, res.status);
  }
  if (!res.ok) throw new ApiError((body && body.error) || `The server answered ${res.status}.`, res.status);
  return body;
}

export async function getJson(url) {
  let res;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(`The console server cannot be reached (${e.message}).`, 0);
  }
  return parse(res);
}

export async function postJson(url, body) {
  let res;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  } catch (e) {
    throw new ApiError(`The console server cannot be reached (${e.message}).`, 0);
  }
  return parse(res);
}

export const enc = encodeURIComponent;
