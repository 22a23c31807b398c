'use strict';
// A zero-work Stripe on loopback, in Stripe's shapes:
//   POST /stripe/v1/customers            create (counted: `calls` in GET /stats)
//   GET|POST|DELETE /stripe/v1/customers/{id}   retrieve, update, delete (counted: `lifecycleCalls`)
//   GET /stripe/v1/account               the who-am-I that scopes a key's mappings by its account:
//                                        one account per API key (so named accounts with their own
//                                        keys are distinct accounts), not counted
// Any path under `/d<ms>/` answers the same after <ms> (a slow processor: the contention case, the
// fan-out's five processors of different speeds). GET /stats → { calls, lifecycleCalls }.
// Keep-alive, no logging.
const http = require('node:http');
const { createHash } = require('node:crypto');

let calls = 0;
let lifecycleCalls = 0;
const prefix = `cus_b${process.pid.toString(36)}`;
const DELAYED = /^\/d(\d+)(\/.*)$/;
const CUSTOMER = /^\/stripe\/v1\/customers\/([^/?]+)$/;

function send(res, body, status = 200) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'request-id': `req_${calls + lifecycleCalls}` });
  res.end(body);
}

function created() {
  calls += 1;
  return `{"id":"${prefix}${calls.toString(36)}","object":"customer","livemode":false}`;
}

const customer = (id) => `{"id":"${id}","object":"customer","name":"Ann Lee","email":"ann@example.com","phone":"+4930123456","metadata":{},"livemode":false}`;

function account(authorization = '') {
  return `{"id":"acct_${createHash('sha256').update(authorization).digest('hex').slice(0, 16)}","object":"account"}`;
}

/** The answer to one request, or undefined for a route this fake does not have. */
function route(method, url, authorization) {
  if (method === 'GET' && url === '/stripe/v1/account') return account(authorization);
  if (method === 'POST' && url === '/stripe/v1/customers') return created();
  const id = CUSTOMER.exec(url)?.[1];
  if (id === undefined || !['GET', 'POST', 'DELETE'].includes(method)) return undefined;
  lifecycleCalls += 1;
  return method === 'DELETE' ? `{"id":"${id}","object":"customer","deleted":true}` : customer(id);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') return send(res, JSON.stringify({ calls, lifecycleCalls }));
  // Drain the (form) body without looking at it.
  req.on('data', () => {});
  req.on('end', () => {
    const delayed = DELAYED.exec(req.url);
    const answer = () => {
      const body = route(req.method, delayed ? delayed[2] : req.url, req.headers.authorization);
      if (body === undefined) res.writeHead(404).end();
      else send(res, body);
    };
    if (delayed) setTimeout(answer, Number(delayed[1]));
    else answer();
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
