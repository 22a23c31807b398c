'use strict';
// What the load sends: Create bodies (REST JSON / gRPC message) as a Prism client would, with the
// README's example customer, and the admin queries.
const { ADMIN_TOKEN } = require('./processes');
const seedIds = require('./seed');

const MERCHANT = 'bench-merchant';

function connectorConfig(fakeOrigin, prefix = '') {
  return JSON.stringify({ config: { Stripe: { api_key: 'sk_test_bench123', base_url: `${fakeOrigin}${prefix}/stripe/` } } });
}

function createHeaders(fakeOrigin, prefix) {
  return { 'content-type': 'application/json', 'x-connector-config': connectorConfig(fakeOrigin, prefix), 'x-merchant-id': MERCHANT };
}

function grpcHeaders(fakeOrigin, prefix) {
  return { 'x-connector-config': connectorConfig(fakeOrigin, prefix), 'x-merchant-id': MERCHANT };
}

const REST_TAIL =
  ',"customer_name":"Ann Lee","email":"ann@example.com","phone_number":"+4930123456",' +
  '"address":{"billing_address":{"line1":"1 Main St","city":"Berlin","zip_code":"10115","country_alpha2_code":"DE"}},' +
  '"metadata":"{\\"plan\\":\\"pro\\"}","test_mode":true}';

function restBody(merchantCustomerId) {
  return `{"merchant_customer_id":${JSON.stringify(merchantCustomerId)}${REST_TAIL}`;
}

function grpcMessage(merchantCustomerId) {
  return {
    merchant_customer_id: merchantCustomerId,
    customer_name: 'Ann Lee',
    email: { value: 'ann@example.com' },
    phone_number: '+4930123456',
    address: { billing_address: { line1: { value: '1 Main St' }, city: { value: 'Berlin' }, zip_code: { value: '10115' }, country_alpha2_code: 'DE' } },
    metadata: { value: '{"plan":"pro"}' },
    test_mode: true,
  };
}

/** REST request generator: `ids(i)` → merchant_customer_id of the i-th request. */
function restCreate(fakeOrigin, ids, path = '/v1/customers') {
  const headers = createHeaders(fakeOrigin);
  return (i) => ({ method: 'POST', path, headers, body: restBody(ids(i)) });
}

/** REST Get of an existing customer by the merchant's id alone (the mapping gives the processor's id). */
function restGet(fakeOrigin, ids) {
  const headers = createHeaders(fakeOrigin);
  return (i) => ({ method: 'GET', path: `/v1/customers/${encodeURIComponent(ids(i))}`, headers });
}

/** REST Update of an existing customer's email; `emails(i)` differs on every request, so each one reaches the processor. */
function restUpdate(fakeOrigin, ids, emails) {
  const headers = createHeaders(fakeOrigin);
  return (i) => ({ method: 'PATCH', path: `/v1/customers/${encodeURIComponent(ids(i))}`, headers, body: `{"email":${JSON.stringify(emails(i))}}` });
}

const grpcGetMessage = (merchantCustomerId) => ({ merchant_customer_id: merchantCustomerId, connector_customer_id: '' });
const grpcUpdateMessage = (merchantCustomerId, email) => ({ merchant_customer_id: merchantCustomerId, connector_customer_id: '', email: { value: email } });
/** A Get or Update answered with the customer it was asked for. */
const customerAnswered = (message, response) => response.merchant_customer_id === message.merchant_customer_id && !!response.customer?.connector_customer_id;

function namedAccountHeaders(account) {
  return { 'content-type': 'application/json', 'x-connector-account': account, 'x-merchant-id': MERCHANT };
}

/** POST /v1/customers/{id}/profiles: the README's customer at every named account at once. */
function restCreateProfiles(ids, accounts) {
  const headers = { 'content-type': 'application/json', 'x-merchant-id': MERCHANT };
  const body = JSON.stringify({ accounts, customer_name: 'Ann Lee', email: 'ann@example.com', test_mode: true });
  return (i) => ({ method: 'POST', path: `/v1/customers/${encodeURIComponent(ids(i))}/profiles`, headers, body });
}

/** PATCH /v1/customers/{id}/profiles: a new email at every profile of the customer. */
function restUpdateProfiles(ids, emails) {
  const headers = { 'content-type': 'application/json', 'x-merchant-id': MERCHANT };
  return (i) => ({ method: 'PATCH', path: `/v1/customers/${encodeURIComponent(ids(i))}/profiles`, headers, body: `{"email":${JSON.stringify(emails(i))}}` });
}

function fakeCreate() {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer sk_test_bench123' };
  return (i) => ({ method: 'POST', path: '/stripe/v1/customers', headers: { ...headers, 'idempotency-key': `k${i}` }, body: `name=Ann+Lee&email=ann%40example.com&metadata%5Bmerchant_customer_id%5D=l${i}` });
}

// Lookups hit one random seeded mapping; listings ask for the newest page (the admin page's
// first view) or, with `cursor`, for a page deep in the table.
function adminQuery(kind, rows) {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const queries = {
    merchant_customer_id: (i) => `merchant_customer_id=${seedIds.customerId(i)}`,
    'merchant_id+merchant_customer_id': (i) => `merchant_id=${seedIds.merchantId(i)}&merchant_customer_id=${seedIds.customerId(i)}`,
    connector_customer_id: (i) => `connector_customer_id=${seedIds.connectorCustomerId(i)}`,
    'newest page': () => 'limit=20',
    'newest page of a connector': () => 'connector=stripe&limit=20',
    'page of a merchant and connector': (i) => `merchant_id=${seedIds.merchantId(i)}&connector=stripe&limit=20`,
    'page deep in the table (cursor)': (i) => `limit=20&cursor=${Buffer.from(seedIds.mappingId(i)).toString('base64url')}`,
  };
  if (!queries[kind]) throw new Error(`unknown admin query ${kind}`);
  return () => ({ method: 'GET', path: `/v1/admin/customer-mappings?${queries[kind](1 + Math.floor(Math.random() * rows))}`, headers });
}

module.exports = {
  MERCHANT,
  connectorConfig,
  createHeaders,
  grpcHeaders,
  restBody,
  grpcMessage,
  restCreate,
  restGet,
  restUpdate,
  grpcGetMessage,
  grpcUpdateMessage,
  customerAnswered,
  namedAccountHeaders,
  restCreateProfiles,
  restUpdateProfiles,
  fakeCreate,
  adminQuery,
};
