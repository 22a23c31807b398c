import { Field, Type, Writer } from 'protobufjs';
import { loadProtos, SERVED_PROTO_FILES } from './proto-files';
import { checkWireFormat, MAX_MESSAGE_DEPTH, WireFormatError } from './wire-format-check';

const { root } = loadProtos(SERVED_PROTO_FILES);
const CreateRequest = root.lookupType('types.CustomerServiceCreateRequest');
const encode = (message: Record<string, unknown>) => Buffer.from(CreateRequest.encode(CreateRequest.fromObject(message)).finish());
const bytes = (...parts: (number | string | Buffer)[]) => Buffer.concat(parts.map((part) => (typeof part === 'number' ? Buffer.from([part]) : Buffer.from(part))));

function problemOf(type: Type, message: Buffer): { field: string; description: string } | undefined {
  try {
    checkWireFormat(type, message);
    return undefined;
  } catch (error) {
    if (error instanceof WireFormatError) return { field: error.field, description: error.description };
    throw error;
  }
}

const FULL = {
  merchant_customer_id: 'user-42',
  customer_name: 'Ann Lee',
  email: { value: 'ann@example.com' },
  phone_number: '+49 30 1234567',
  address: { billing_address: { first_name: { value: 'Ann' }, city: { value: 'Berlin' }, country_alpha2_code: 84 }, shipping_address: { zip_code: { value: '10115' } } },
  metadata: { value: '{"plan":"pro"}' },
  test_mode: true,
};

describe(checkWireFormat.name, () => {
  const sut = (message: Buffer, type: Type = CreateRequest) => problemOf(type, message);

  describe('accepts what decodes exactly', () => {
    it.each<[string, Buffer]>([
      ['an empty message', Buffer.alloc(0)],
      ['every field of a Create', encode(FULL)],
      ['multi-byte UTF-8 in a string', encode({ merchant_customer_id: 'm', customer_name: 'Zoë 李 😀' })],
      ['a field repeated (the last one wins)', Buffer.concat([encode({ merchant_customer_id: 'a' }), encode({ merchant_customer_id: 'b' })])],
      ['an enum number the proto does not list (proto3 enums are open)', encode({ address: { billing_address: { country_alpha2_code: 9999 } } })],
    ])('%s', (_case, message) => {
      expect(sut(message)).toBeUndefined();
    });

    it.each<[string, Buffer]>([
      ['varint', bytes(0xa0, 0x06, 0x96, 0x01)],
      ['64-bit', bytes(0xa1, 0x06, ...Array(8).fill(7))],
      ['length-delimited, invalid UTF-8 included', bytes(0xa2, 0x06, 3, 0xc3, 0x28, 0xff)],
      ['32-bit', bytes(0xa5, 0x06, 1, 2, 3, 4)],
      ['a group, nested', bytes(0xa3, 0x06, 0xab, 0x06, 0x08, 0x01, 0xac, 0x06, 0xa4, 0x06)],
    ])('skips an unknown field (proto3): %s', (_case, unknown) => {
      expect(sut(Buffer.concat([encode(FULL), unknown]))).toBeUndefined();
      expect(sut(Buffer.concat([unknown, encode(FULL)]))).toBeUndefined();
    });

    it('reads a repeated scalar packed or not', () => {
      const type = new Type('Numbers').add(new Field('ids', 1, 'int32', 'repeated')).add(new Field('fixed', 2, 'fixed32', 'repeated'));

      expect(sut(bytes(0x08, 0x01, 0x08, 0x96, 0x01), type)).toBeUndefined();
      expect(sut(bytes(0x0a, 0x03, 0x01, 0x96, 0x01, 0x12, 0x08, 1, 0, 0, 0, 2, 0, 0, 0), type)).toBeUndefined();
      expect(sut(bytes(0x0a, 0x02, 0x01, 0x96), type)).toEqual({ field: 'ids', description: expect.stringContaining('cut short') });
      expect(sut(bytes(0x12, 0x03, 1, 0, 0), type)).toEqual({ field: 'fixed', description: expect.stringContaining('declares 4 bytes but only 3 remain') });
    });
  });

  describe('refuses, naming the field', () => {
    it.each([3, 8, 13])('a merchant_customer_id declaring 20 bytes that carries %i (protobufjs would read it cut short)', (carried) => {
      const message = bytes(0x0a, 20, 'truncated-customer-id'.slice(0, carried));

      expect(sut(message)).toEqual({ field: 'merchant_customer_id', description: `its length declares 20 bytes but only ${carried} remain in the message` });
    });

    it.each<[string, Buffer, string, RegExp]>([
      ['a length past the end of a nested message', bytes(0x2a, 0x06, 0x12, 0x04, 0x32, 0x09, 0x0a, 0x01), 'address.billing_address.city', /declares 9 bytes but only 2 remain/],
      ['a nested length past its parent’s end', bytes(0x2a, 0x03, 0x12, 0x05, 0x00, 0x08, 0x01), 'address.billing_address', /declares 5 bytes but only 1 remain/],
      ['a length varint cut short', bytes(0x0a, 0x80), 'merchant_customer_id', /its length is cut short/],
      ['a tag cut short', bytes(0x0a, 0x01, 0x61, 0x80), 'message', /a field tag is cut short/],
      ['a varint over 10 bytes', bytes(0x40, ...Array(10).fill(0xff), 0x01), 'test_mode', /overflows 64 bits|longer than 10 bytes/],
      ['a string field sent as a varint', bytes(0x08, 0x05), 'merchant_customer_id', /wire type 0 where its type needs wire type 2/],
      ['a bool sent length-delimited', bytes(0x42, 0x01, 0x01), 'test_mode', /wire type 2 where its type needs wire type 0/],
      ['a message field sent as 32 bits', bytes(0x2d, 1, 2, 3, 4), 'address', /wire type 5/],
      ['a known field as a group', bytes(0x0b, 0x0c), 'merchant_customer_id', /wire type 3/],
      ['wire type 6', bytes(0x0e, 0x00), 'message', /wire type 6, which protobuf does not define/],
      ['wire type 7 inside a nested message', bytes(0x2a, 0x02, 0x17, 0x00), 'address', /wire type 7/],
      ['an end-group that was never started', bytes(0x0c), 'message', /never started/],
      ['an unknown group never closed', bytes(0xa3, 0x06, 0x08, 0x01), 'message', /group 100 is never closed/],
      ['a group closed with another number', bytes(0xa3, 0x06, 0xac, 0x07), 'message', /field 117 ends a group that was never started/],
      ['field number 0', bytes(0x02, 0x00), 'message', /number 0/],
      ['invalid UTF-8 in customer_name', bytes(0x12, 0x02, 0xc3, 0x28), 'customer_name', /not valid UTF-8/],
      ['invalid UTF-8 in a SecretString (named like REST names it)', bytes(0x1a, 0x03, 0x0a, 0x01, 0xff), 'email', /not valid UTF-8/],
      ['a lone surrogate encoded as UTF-8 (CESU)', bytes(0x12, 0x03, 0xed, 0xa0, 0x80), 'customer_name', /not valid UTF-8/],
      ['an overlong encoding', bytes(0x12, 0x02, 0xc0, 0xaf), 'customer_name', /not valid UTF-8/],
    ])('%s', (_case, message, field, description) => {
      expect(sut(message)).toEqual({ field, description: expect.stringMatching(description) });
    });

    it(`unknown groups nested deeper than ${MAX_MESSAGE_DEPTH}`, () => {
      const depth = MAX_MESSAGE_DEPTH + 2;
      const message = Buffer.concat([Buffer.from(Array(depth).fill([0xa3, 0x06]).flat()), Buffer.from(Array(depth).fill([0xa4, 0x06]).flat())]);

      expect(sut(message)).toEqual({ field: 'message', description: expect.stringContaining(`deeper than ${MAX_MESSAGE_DEPTH}`) });
    });

    it('a map entry of the wrong wire type', () => {
      const Response = root.lookupType('types.CustomerServiceCreateResponse');
      const ok = Buffer.from(Response.encode(Response.fromObject({ connector_customer_id: 'cus_1', response_headers: { a: 'b' } })).finish());
      const writer = Writer.create();
      writer.uint32((5 << 3) | 2).fork().uint32((1 << 3) | 0).uint32(7).ldelim();

      expect(sut(ok, Response)).toBeUndefined();
      expect(sut(Buffer.from(writer.finish()), Response)).toEqual({ field: 'response_headers.key', description: expect.stringContaining('wire type 0') });
    });
  });
});
