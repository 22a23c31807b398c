'use strict';
// A zero-work Stripe on loopback: `POST /stripe/v1/customers` answers 200 with Stripe's
// create-customer shape. `/d<ms>/stripe/v1/customers` answers after <ms> (a slow processor, for
// the contention case). `GET /stripe/v1/account` (the who-am-I that scopes a key's mappings by its
// account) answers one account, not counted. `GET /stats` → customer creates so far. Keep-alive, no logging.
const http = require('node:http');

let calls = 0;
const prefix = `cus_b${process.pid.toString(36)}`;
const DELAYED = /^\/d(\d+)\/stripe\/v1\/customers$/;
const ACCOUNT = /^(?:\/d\d+)?\/stripe\/v1\/account$/;
const ACCOUNT_BODY = '{"id":"acct_bench0000000001","object":"account"}';

function answer(res) {
  calls += 1;
  const body = `{"id":"${prefix}${calls.toString(36)}","object":"customer","livemode":false}`;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'request-id': `req_${calls}` });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const body = JSON.stringify({ calls });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (req.method === 'GET' && ACCOUNT.test(req.url)) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ACCOUNT_BODY) });
    res.end(ACCOUNT_BODY);
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(404).end();
    return;
  }
  // Drain the (form) body without looking at it.
  req.on('data', () => {});
  req.on('end', () => {
    if (req.url === '/stripe/v1/customers') return answer(res);
    const delayed = DELAYED.exec(req.url);
    if (delayed) return setTimeout(() => answer(res), Number(delayed[1]));
    res.writeHead(404).end();
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
