import { findDuplicateJsonKey } from './json-duplicate-keys';

describe(findDuplicateJsonKey.name, () => {
  it.each<[string, string, string]>([
    ['a top-level key twice', '{"merchant_customer_id":"a","merchant_customer_id":"b"}', 'merchant_customer_id'],
    ['a nested key twice', '{"address":{"billing_address":{"city":"Berlin","zip_code":"1","city":"Paris"}}}', 'address.billing_address.city'],
    ['a key twice in a SecretString', '{"email":{"value":"a@x.io","value":"b@x.io"}}', 'email.value'],
    ['the same key spelled with an escape', '{"customer_name":"a","customer\\u005fname":"b"}', 'customer_name'],
    ['a key twice inside an array element', '{"items":[{},{"a":1,"a":2}]}', 'items[1].a'],
    ['equal keys whose values are objects', '{"address":{},"address":{"billing_address":{}}}', 'address'],
  ])('finds %s', (_case, text, path) => {
    expect(findDuplicateJsonKey(text)).toBe(path);
  });

  it.each<[string, string]>([
    ['distinct keys', '{"merchant_customer_id":"a","customer_name":"b","address":{"billing_address":{"city":"x"},"shipping_address":{"city":"x"}}}'],
    ['equal keys in sibling objects', '{"a":{"k":1},"b":{"k":2},"c":[{"k":3},{"k":4}]}'],
    ['keys inside strings', '{"a":"\\"a\\":1","b":"{\\"b\\":1,\\"b\\":2}"}'],
    ['scalars and whitespace', ' { "a" : [ 1 , -2.5e3 , true , false , null , "x" ] , "b" : {} , "c" : [] } '],
    ['not JSON (left to the parser)', '{"a":1,"a"'],
    ['a bare scalar', '42'],
    ['nesting deeper than the scan', `${'['.repeat(100)}${']'.repeat(100)}`],
  ])('finds none in %s', (_case, text) => {
    expect(findDuplicateJsonKey(text)).toBeUndefined();
  });
});
