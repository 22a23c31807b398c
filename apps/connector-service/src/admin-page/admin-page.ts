import { createHash } from 'node:crypto';

/** Text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f6f7f9; }
body { margin: 0 auto; max-width: 76rem; padding: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
header p { margin: 0 0 1rem; color: #4b5565; }
form { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .75rem 1rem; align-items: end;
  background: #fff; border: 1px solid #d9dde3; border-radius: .5rem; padding: 1rem; }
label, legend { display: grid; gap: .25rem; font-size: .85rem; color: #4b5565; }
fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: center; }
fieldset legend { width: 100%; padding: 0; margin-bottom: .25rem; }
fieldset label { display: flex; gap: .3rem; align-items: center; color: #1d2330; }
input, select, button { font: inherit; padding: .4rem .5rem; border: 1px solid #c4cad3; border-radius: .35rem; }
button { background: #2457c5; color: #fff; border-color: #2457c5; cursor: pointer; }
button:disabled { background: #aab4c4; border-color: #aab4c4; cursor: default; }
#error { background: #fdecec; border: 1px solid #e5a5a5; color: #8a1c1c; padding: .6rem .8rem; border-radius: .35rem; }
table { width: 100%; border-collapse: collapse; margin-top: 1rem; background: #fff; font-size: .85rem; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #e3e6ea; }
th { background: #eef1f5; white-space: nowrap; }
td { overflow-wrap: anywhere; }
td.mono { font-family: ui-monospace, monospace; }
nav { display: flex; gap: .75rem; align-items: center; margin-top: .75rem; }
.session { display: flex; gap: .75rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }
.session form { display: block; background: none; border: 0; padding: 0; }
.login { max-width: 26rem; grid-template-columns: 1fr; }
td button { padding: .15rem .45rem; font-size: .8rem; }
#customer h2 { font-size: 1.15rem; margin: 1.5rem 0 0; }
#customer h3 { font-size: 1rem; margin: 1rem 0 0; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var byId = function (id) { return document.getElementById(id); };
  var form = byId('search');
  var cursors = [undefined];
  var page = 0;
  var nextCursor;
  var query = '';

  function filters() {
    var params = new URLSearchParams();
    var value = byId('query').value.trim();
    if (value) params.set(form.elements.namedItem('kind').value, value);
    var merchant = byId('merchant').value.trim();
    if (merchant) params.set('merchant_id', merchant);
    if (byId('connector').value) params.set('connector', byId('connector').value);
    params.set('limit', byId('limit').value);
    return params.toString();
  }

  function busy(on) {
    byId('search-button').disabled = on;
    byId('next').disabled = on || !nextCursor;
    byId('previous').disabled = on || page === 0;
  }

  function showError(status, body) {
    var message = body && body.error && typeof body.error.message === 'string' ? body.error.message : 'The admin API gave no usable answer';
    byId('error').textContent = (status ? status + ': ' : '') + message;
    byId('error').hidden = false;
    byId('results').hidden = true;
    byId('status').textContent = '';
    nextCursor = undefined;
  }

  function cell(row, text, mono) {
    var td = document.createElement('td');
    td.textContent = text;
    if (mono) td.className = 'mono';
    row.appendChild(td);
    return td;
  }

  function requestHeaders() {
    var headers = { 'x-admin-page': '1' };
    var token = byId('token').value.trim();
    if (token) headers.authorization = 'Bearer ' + token;
    var tenant = byId('tenant').value.trim();
    if (tenant) headers['x-tenant-id'] = tenant;
    return headers;
  }

  function renderCustomer(view) {
    byId('customer-title').textContent = 'Customer ' + view.merchant_customer_id + ' of merchant ' + view.merchant_id;
    var profiles = byId('profiles').tBodies[0];
    profiles.replaceChildren();
    (view.profiles || []).forEach(function (p) {
      var row = document.createElement('tr');
      cell(row, String(p.connector));
      cell(row, String(p.account || '—'));
      cell(row, String(p.connector_customer_id || '—'), true);
      cell(row, String(p.status));
      cell(row, p.test_mode ? 'test' : 'live');
      cell(row, String(p.created_at));
      cell(row, String(p.updated_at));
      profiles.appendChild(row);
    });
    byId('profiles-status').textContent = (view.profiles || []).length === 0 ? 'No processor profile (never created, or erased).' : view.profiles.length + ' processor profile' + (view.profiles.length === 1 ? '' : 's');
    var operations = byId('operations').tBodies[0];
    operations.replaceChildren();
    (view.operations || []).forEach(function (o) {
      var steps = o.steps && o.steps.length ? o.steps : [{}];
      steps.forEach(function (step, index) {
        var row = document.createElement('tr');
        cell(row, index === 0 ? String(o.operation_id) : '', true);
        cell(row, index === 0 ? String(o.kind) : '');
        cell(row, index === 0 ? String(o.status) : '');
        cell(row, index === 0 ? String(o.created_at) : '');
        cell(row, String(step.connector || '—'));
        cell(row, String(step.account || '—'));
        cell(row, String(step.status || '—'));
        cell(row, String(step.outcome || step.error_reason || '—') + (step.error_code ? ' (' + step.error_code + ')' : ''));
        cell(row, String(step.attempts === undefined ? '—' : step.attempts));
        operations.appendChild(row);
      });
    });
    byId('operations-status').textContent = (view.operations || []).length === 0 ? 'No operation.' : view.operations.length + ' operation' + (view.operations.length === 1 ? '' : 's') + ', newest first';
    byId('customer').hidden = false;
  }

  function showCustomer(merchantId, merchantCustomerId) {
    var params = new URLSearchParams({ merchant_id: merchantId });
    busy(true);
    return fetch('v1/admin/customers/' + encodeURIComponent(merchantCustomerId) + '?' + params.toString(), { headers: requestHeaders(), credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        return response.json().catch(function () { return undefined; }).then(function (body) {
          if (!response.ok) { byId('customer').hidden = true; return showError(response.status, body); }
          byId('error').hidden = true;
          renderCustomer(body);
        });
      })
      .catch(function () { showError(0, undefined); })
      .then(function () { busy(false); });
  }

  function render(mappings) {
    var body = byId('results').tBodies[0];
    body.replaceChildren();
    mappings.forEach(function (m) {
      var row = document.createElement('tr');
      cell(row, String(m.merchant_id));
      cell(row, String(m.merchant_customer_id), true);
      cell(row, String(m.connector));
      cell(row, String(m.connector_customer_id || '—'), true);
      cell(row, String(m.status));
      cell(row, m.test_mode ? 'test' : 'live');
      cell(row, String(m.created_at));
      cell(row, String(m.id), true);
      var open = document.createElement('button');
      open.type = 'button';
      open.className = 'profiles';
      open.textContent = 'Profiles';
      open.addEventListener('click', function () { showCustomer(String(m.merchant_id), String(m.merchant_customer_id)); });
      cell(row, '').appendChild(open);
      body.appendChild(row);
    });
    byId('error').hidden = true;
    byId('results').hidden = mappings.length === 0;
    byId('status').textContent = mappings.length === 0 ? 'No mapping matches.' : 'Page ' + (page + 1) + ': ' + mappings.length + ' mapping' + (mappings.length === 1 ? '' : 's');
  }

  function load(index) {
    var params = new URLSearchParams(query);
    if (cursors[index]) params.set('cursor', cursors[index]);
    busy(true);
    return fetch('v1/admin/customer-mappings?' + params.toString(), { headers: requestHeaders(), credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        return response.json().catch(function () { return undefined; }).then(function (body) {
          if (!response.ok) return showError(response.status, body);
          page = index;
          nextCursor = body.next_cursor;
          render(Array.isArray(body.mappings) ? body.mappings : []);
        });
      })
      .catch(function () { showError(0, undefined); })
      .then(function () { busy(false); });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    query = filters();
    cursors = [undefined];
    nextCursor = undefined;
    load(0);
  });
  byId('next').addEventListener('click', function () {
    cursors[page + 1] = nextCursor;
    load(page + 1);
  });
  byId('previous').addEventListener('click', function () { load(page - 1); });
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Nothing runs but the page's own script and style (by hash), the page talks only to this
 * origin, and it cannot be framed: an injected string could not execute even if escaping failed.
 */
export const ADMIN_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The login page has no script at all: a plain form posted to this origin. */
export const ADMIN_LOGIN_CSP = ["default-src 'none'", `style-src ${sha256(STYLE)}`, "img-src 'self' data:", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"].join('; ');

/**
 * The admin lookup page, shown only to a signed-in session. The server renders only the
 * connector list and who signed in (escaped); everything the API returns is put on the page with
 * textContent, never as HTML. The page reads the admin API with its session; a token typed into
 * the page instead is sent as a Bearer header and kept nowhere else.
 */
export function renderAdminPage(connectors: readonly string[], signedInAs?: { actor: string; tenant?: string }): string {
  const options = connectors.map((name) => `<option value="${escapeHtml(name)}">${escapeHtml(name)}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>connector-service · customers</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Customer mappings</h1>
<p>Which processor customer a merchant customer maps to; a customer’s profiles at every processor and what was done to them.</p>
</header>
${signedInAs ? `<div class="session"><span id="signed-in">Signed in as ${escapeHtml(signedInAs.actor)}${signedInAs.tenant === undefined ? ' (every tenant)' : ` (tenant ${escapeHtml(signedInAs.tenant)})`}</span><form method="post" action="/admin/logout"><button type="submit" id="sign-out">Sign out</button></form></div>` : ''}
<form id="search" autocomplete="off">
<label>Admin token (empty: this session’s) <input id="token" type="password" autocomplete="off" spellcheck="false"></label>
<label>Tenant <input id="tenant" placeholder="public" spellcheck="false"></label>
<fieldset><legend>Find by</legend>
<label><input type="radio" name="kind" value="merchant_customer_id" checked> merchant customer id</label>
<label><input type="radio" name="kind" value="connector_customer_id"> processor customer id</label>
</fieldset>
<label>Id <input id="query" placeholder="user-42 or cus_… (empty: all)" spellcheck="false"></label>
<label>Merchant <input id="merchant" placeholder="any" spellcheck="false"></label>
<label>Processor <select id="connector"><option value="">any</option>${options}</select></label>
<label>Per page <select id="limit"><option>5</option><option>10</option><option selected>20</option><option>50</option><option>100</option></select></label>
<button type="submit" id="search-button">Search</button>
</form>
<p id="status" role="status"></p>
<p id="error" role="alert" hidden></p>
<table id="results" hidden>
<thead><tr><th>merchant</th><th>merchant customer id</th><th>processor</th><th>processor customer id</th><th>status</th><th>mode</th><th>created</th><th>mapping id</th><th>customer</th></tr></thead>
<tbody></tbody>
</table>
<nav><button type="button" id="previous" disabled>Previous</button><button type="button" id="next" disabled>Next</button></nav>
<section id="customer" hidden>
<h2 id="customer-title"></h2>
<h3>Processor profiles</h3>
<p id="profiles-status" role="status"></p>
<table id="profiles">
<thead><tr><th>processor</th><th>account</th><th>processor customer id</th><th>status</th><th>mode</th><th>created</th><th>updated</th></tr></thead>
<tbody></tbody>
</table>
<h3>Operations</h3>
<p id="operations-status" role="status"></p>
<table id="operations">
<thead><tr><th>operation id</th><th>kind</th><th>status</th><th>started</th><th>processor</th><th>account</th><th>step</th><th>outcome</th><th>attempts</th></tr></thead>
<tbody></tbody>
</table>
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** What anyone may see of the admin page: a form to sign in with the admin token, nothing else. */
export function renderAdminLoginPage(error?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>connector-service · sign in</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Sign in</h1>
<p>The admin token (ADMIN_API_TOKEN), or a caller key with the admin scope. It is checked once and never stored: a session cookie of one hour proves the sign-in.</p>
</header>
${error === undefined ? '' : `<p id="error" role="alert">${escapeHtml(error)}</p>`}
<form id="login" class="login" method="post" action="/admin/login" autocomplete="off">
<label>Admin token <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required></label>
<button type="submit" id="sign-in">Sign in</button>
</form>
</body>
</html>
`;
}
