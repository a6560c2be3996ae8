'use strict';
// The whole page: plain fetch calls, relative URLs (the app may be deployed under any context path).
// Tokens stay in this page's memory; the page shows only their first characters.

let tokens = null; // { access_token, refresh_token, id_token, username }

const $ = (id) => document.getElementById(id);
const short = (token) => token ? token.slice(0, 12) + '…' : '(none)';

function show(title, response, body, headers) {
  const li = document.createElement('li');
  const status = response ? response.status : 0;
  const badge = document.createElement('span');
  badge.className = 'status s' + String(status).charAt(0);
  badge.textContent = status || 'network error';
  li.append(title + ' → ', badge);
  const pre = document.createElement('pre');
  const lines = (headers || [])
    .filter((name) => response && response.headers.get(name) !== null)
    .map((name) => name + ': ' + response.headers.get(name));
  if (body) lines.push(body);
  pre.textContent = lines.join('\n') || '(empty body)';
  li.append(pre);
  $('log').prepend(li);
}

function showTokens() {
  $('tokens').textContent = tokens
    ? `Logged in as ${tokens.username || '?'}: access token ${short(tokens.access_token)}, refresh token ${short(tokens.refresh_token)}`
    : 'Not logged in.';
  for (const id of ['hello', 'logout', 'hello2', 'refresh']) $(id).disabled = !tokens;
}

async function call(title, url, options) {
  try {
    const response = await fetch(url, options);
    const text = await response.text();
    let body = text;
    try { body = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    return { response, text, body };
  } catch (e) {
    show(title, null, String(e));
    return null;
  }
}

// Never display whole tokens in the log: replace them by their first characters.
function redact(json) {
  const copy = { ...json };
  for (const key of ['access_token', 'id_token', 'refresh_token']) if (copy[key]) copy[key] = short(copy[key]);
  return JSON.stringify(copy, null, 2);
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new URLSearchParams(new FormData(event.target));
  const r = await call('POST api/login', 'api/login', { method: 'POST', body: form });
  if (!r) return;
  if (r.response.ok) {
    tokens = JSON.parse(r.text);
    show('POST api/login', r.response, redact(tokens));
  } else {
    show('POST api/login', r.response, r.body);
  }
  showTokens();
});

async function hello(title) {
  const r = await call(title, 'api/hello', { headers: { Authorization: 'Bearer ' + tokens.access_token } });
  if (r) show(title, r.response, r.body, ['WWW-Authenticate']);
}
$('hello').addEventListener('click', () => hello('GET api/hello'));
$('hello2').addEventListener('click', () => hello('GET api/hello (after logout)'));

$('logout').addEventListener('click', async () => {
  const form = new URLSearchParams({ refresh_token: tokens.refresh_token || '' });
  const r = await call('POST logout', 'logout', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + tokens.access_token },
    body: form,
  });
  // The page keeps the tokens on purpose: step 4 shows that they no longer work.
  if (r) show('POST logout', r.response, r.body, ['WWW-Authenticate', 'Retry-After']);
});

$('refresh').addEventListener('click', async () => {
  const form = new URLSearchParams({ username: tokens.username || '', refresh_token: tokens.refresh_token || '' });
  const r = await call('POST api/refresh', 'api/refresh', { method: 'POST', body: form });
  if (!r) return;
  show('POST api/refresh', r.response, r.response.ok ? redact(JSON.parse(r.text)) : r.body);
  if (r.response.ok) { // new access and ID tokens; Cognito keeps the refresh token
    tokens = { ...tokens, ...JSON.parse(r.text) };
    showTokens();
  }
});

fetch('api/info').then((r) => r.json()).then((info) => {
  $('info').textContent = `Server: ${info.server} · Cognito: ${info.cognito} · pool ${info.userPoolId} · client ${info.clientId}`;
}).catch(() => { $('info').textContent = 'api/info did not answer'; });
showTokens();
