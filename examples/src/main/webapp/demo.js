'use strict';
// The whole page: plain fetch calls, relative URLs (the app may be deployed under any context path).
// Tokens stay in this page's memory; the page shows only a short preview of each.

let tokens = null; // { access_token, refresh_token, id_token, username }
let state = 'out'; // out | in | logged-out | pending

const $ = (id) => document.getElementById(id);

// Every Cognito JWT of a pool starts with the same header ("eyJraWQiOi..."), and its payload with the
// same '{"sub":...'. What tells two tokens apart is the end: the signature (a JWT) or the last part
// (a refresh token, shaped like a JWE). The access token's jti is what the filter denylists.
function preview(token) {
  if (!token) return '(none)';
  const parts = token.split('.');
  const tail = parts[parts.length - 1].slice(-10);
  const jti = parts.length === 3 ? claim(token, 'jti') : null;
  return '…' + tail + (jti ? ` (jti ${jti.slice(0, 8)}…)` : '');
}

function claim(jwt, name) {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload))[name] ?? null;
  } catch (e) {
    return null;
  }
}

function setState(next) {
  state = next;
  const who = tokens && tokens.username ? tokens.username : '?';
  const access = tokens ? preview(tokens.access_token) : '';
  const refresh = tokens ? preview(tokens.refresh_token) : '';
  const text = {
    'out': 'Not logged in.',
    'in': `Logged in as ${who} · access token ${access} · refresh token ${refresh}`,
    'logged-out': `Logged out: access token ${access} is denylisted and refresh token ${refresh} revoked at Cognito.`
      + ' The page kept both, to show that they no longer work.',
    'pending': `Logged out: access token ${access} is denylisted; Cognito did not answer yet, so the revocation of`
      + ` refresh token ${refresh} is pending and retried.`,
  }[state];
  $('status').textContent = text;
  $('status').dataset.state = state;
  for (const id of ['hello', 'logout', 'compare', 'refresh', 'peer-hello']) $(id).disabled = !tokens;
}

// Shows one answer in the box next to the step that asked for it.
function show(boxId, response, body, headers) {
  const box = $(boxId);
  box.replaceChildren();
  const status = response ? response.status : 0;
  box.dataset.status = String(status);
  const badge = document.createElement('span');
  badge.className = 'status s' + String(status).charAt(0);
  badge.textContent = status ? `${status} ${response.statusText || reason(status)}` : 'network error';
  const pre = document.createElement('pre');
  const lines = (headers || [])
    .filter((name) => response && response.headers.get(name) !== null)
    .map((name) => name + ': ' + response.headers.get(name));
  if (body) lines.push(body);
  pre.textContent = lines.join('\n') || '(empty body)';
  box.append(badge, pre);
}

function reason(status) {
  return { 200: 'OK', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 503: 'Service Unavailable' }[status] || '';
}

async function call(boxId, url, options) {
  try {
    const response = await fetch(url, options);
    const text = await response.text();
    let body = text;
    try { body = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    return { response, text, body };
  } catch (e) {
    show(boxId, null, String(e));
    return null;
  }
}

// Never display whole tokens: replace them by their previews.
function redact(json) {
  const copy = { ...json };
  for (const key of ['access_token', 'id_token', 'refresh_token']) if (copy[key]) copy[key] = preview(copy[key]);
  return JSON.stringify(copy, null, 2);
}

const bearer = () => ({ Authorization: 'Bearer ' + tokens.access_token });

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new URLSearchParams(new FormData(event.target));
  const r = await call('a-login', 'api/login', { method: 'POST', body: form });
  if (!r) return;
  if (r.response.ok) {
    tokens = JSON.parse(r.text);
    show('a-login', r.response, redact(tokens));
    setState('in');
  } else {
    show('a-login', r.response, r.body);
  }
});

$('hello').addEventListener('click', async () => {
  const r = await call('a-hello', 'api/hello', { headers: bearer() });
  if (r) show('a-hello', r.response, r.body, ['WWW-Authenticate']);
});

$('logout').addEventListener('click', async () => {
  const form = new URLSearchParams({ refresh_token: tokens.refresh_token || '' });
  const r = await call('a-logout', 'logout', { method: 'POST', headers: bearer(), body: form });
  if (!r) return;
  show('a-logout', r.response, r.body, ['WWW-Authenticate', 'Retry-After']);
  if (r.response.status === 204) setState('logged-out');
  else if (r.response.status === 202) setState('pending');
});

$('compare').addEventListener('click', async () => {
  const [outside, behind] = await Promise.all([
    call('a-outside', 'unprotected/hello', { headers: bearer() }),
    call('a-behind', 'api/hello', { headers: bearer() }),
  ]);
  if (outside) show('a-outside', outside.response, outside.body, ['WWW-Authenticate']);
  if (behind) show('a-behind', behind.response, behind.body, ['WWW-Authenticate']);
});

$('refresh').addEventListener('click', async () => {
  const form = new URLSearchParams({ username: tokens.username || '', refresh_token: tokens.refresh_token || '' });
  const r = await call('a-refresh', 'api/refresh', { method: 'POST', body: form });
  if (!r) return;
  show('a-refresh', r.response, r.response.ok ? redact(JSON.parse(r.text)) : r.body);
  if (r.response.ok) { // new access and ID tokens; Cognito keeps the refresh token
    tokens = { ...tokens, ...JSON.parse(r.text) };
    setState(state);
  }
});

// Cluster mode (examples/run --cluster): the other node's API, which allows this page's origin (CORS).
let peer = null;

$('peer-hello').addEventListener('click', async () => {
  const r = await call('a-peer', peer + 'api/hello', { headers: bearer() });
  if (r) show('a-peer', r.response, r.body, ['WWW-Authenticate']);
});

fetch('api/info').then((r) => r.json()).then((info) => {
  $('info').textContent = `Server: ${info.server} · Cognito: ${info.cognito} · pool ${info.userPoolId} · client ${info.clientId}`
    + (info.node ? ` · this page is node ${info.node}` : '');
  if (info.peer) {
    peer = info.peer;
    $('peer-url').textContent = peer + 'api/hello';
    $('peer-step').hidden = false;
  }
}).catch(() => { $('info').textContent = 'api/info did not answer'; });
setState('out');
