import { isUtf8 } from 'node:buffer';
import { Enum, MapField, Type, type Field } from 'protobufjs';

/** Deeper than any message of this service; deeper input is refused, not walked. */
export const MAX_MESSAGE_DEPTH = 32;

/** Where a protobuf message fails to decode exactly, and why. */
export class WireFormatError extends Error {
  constructor(
    /** Dotted path of the offending field (`address.billing_address.city`), or `message`. */
    readonly field: string,
    readonly description: string,
  ) {
    super(`${field}: ${description}`);
    this.name = 'WireFormatError';
  }
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const END_GROUP = 4;
const FIXED32 = 5;

const SCALAR_WIRE_TYPES: Readonly<Record<string, number>> = {
  double: FIXED64, fixed64: FIXED64, sfixed64: FIXED64,
  float: FIXED32, fixed32: FIXED32, sfixed32: FIXED32,
  int32: VARINT, int64: VARINT, uint32: VARINT, uint64: VARINT, sint32: VARINT, sint64: VARINT, bool: VARINT,
  string: LENGTH_DELIMITED, bytes: LENGTH_DELIMITED,
};

interface FieldShape {
  name: string;
  wireType: number;
  utf8: boolean;
  message?: MessageShape;
  /** A repeated scalar: its values may also come packed in one length-delimited record. */
  packable: boolean;
}

interface MessageShape {
  fields: Map<number, FieldShape>;
  /** Prism's SecretString wrapper: its `value` is reported under the wrapping field's name, as REST names it. */
  wrapper?: boolean;
}

const EMPTY_SHAPE: MessageShape = { fields: new Map() };

class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }
}

/**
 * Checks that `bytes` decode exactly as a message of `type`, as prost (Prism) and the reference
 * parsers require and protobufjs does not (it clamps a length that runs past the end, and reads
 * a field of another wire type as if it were its own): every tag, varint and length within the
 * message, wire types 0–5 only, groups closed, each known field in its declared wire type (or
 * packed, for a repeated scalar), strings valid UTF-8, nested messages likewise. Unknown fields
 * are skipped, as proto3 requires.
 */
export function checkWireFormat(type: Type, bytes: Uint8Array): void {
  const cursor = new Cursor(bytes, 0, bytes.length);
  walkMessage(shapeOf(type), cursor, '', 0);
}

const shapes = new WeakMap<Type, MessageShape>();

function shapeOf(type: Type): MessageShape {
  let shape = shapes.get(type);
  if (shape) return shape;
  shape = { fields: new Map(), wrapper: type.fullName === '.types.SecretString' };
  shapes.set(type, shape);
  for (const field of type.fieldsArray) shape.fields.set(field.id, fieldShape(field.resolve()));
  return shape;
}

function fieldShape(field: Field): FieldShape {
  if (field instanceof MapField) {
    const entry: MessageShape = {
      fields: new Map([
        [1, valueShape('key', field.keyType, null, false)],
        [2, valueShape('value', field.type, field.resolvedType, false)],
      ]),
    };
    return { name: field.name, wireType: LENGTH_DELIMITED, utf8: false, message: entry, packable: false };
  }
  return valueShape(field.name, field.type, field.resolvedType, field.repeated);
}

function valueShape(name: string, type: string, resolved: Type | Enum | null, repeated: boolean): FieldShape {
  if (resolved instanceof Type) return { name, wireType: LENGTH_DELIMITED, utf8: false, message: shapeOf(resolved), packable: false };
  const wireType = resolved instanceof Enum ? VARINT : SCALAR_WIRE_TYPES[type];
  if (wireType === undefined) throw new Error(`field ${name} has a type the wire check does not know: ${type}`);
  return { name, wireType, utf8: type === 'string', packable: repeated && wireType !== LENGTH_DELIMITED };
}

/** Reads a varint of at most 10 bytes (a 64-bit value), as a number (exact up to 2^53). */
function readVarint(cursor: Cursor, field: string, what: string): number {
  let value = 0;
  for (let i = 0; i < 10; i += 1) {
    if (cursor.pos >= cursor.end) throw new WireFormatError(field, `${what} is cut short: the message ends inside it`);
    const byte = cursor.bytes[cursor.pos++];
    if (i === 9 && byte > 1) throw new WireFormatError(field, `${what} overflows 64 bits`);
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return value;
  }
  throw new WireFormatError(field, `${what} is longer than 10 bytes`);
}

function take(cursor: Cursor, length: number, field: string, what: string): number {
  if (length > cursor.remaining) {
    throw new WireFormatError(field, `${what} declares ${length} bytes but only ${cursor.remaining} remain in the message`);
  }
  const start = cursor.pos;
  cursor.pos += length;
  return start;
}

function pathOf(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

/**
 * Walks one message up to `cursor.end`, or, inside a group, up to the group's end tag (then
 * returns with the cursor after it).
 */
function walkMessage(shape: MessageShape, cursor: Cursor, path: string, depth: number, groupNumber?: number): void {
  if (depth > MAX_MESSAGE_DEPTH) throw new WireFormatError(path || 'message', `nests deeper than ${MAX_MESSAGE_DEPTH} messages`);
  const here = path || 'message';
  while (cursor.pos < cursor.end) {
    const tag = readVarint(cursor, here, 'a field tag');
    if (tag > 0xffffffff) throw new WireFormatError(here, 'a field tag overflows 32 bits');
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (number === 0) throw new WireFormatError(here, 'a field has number 0, which protobuf forbids');
    if (wireType > FIXED32) throw new WireFormatError(here, `field ${number} has wire type ${wireType}, which protobuf does not define`);
    if (wireType === END_GROUP) {
      if (groupNumber === number) return;
      throw new WireFormatError(here, `field ${number} ends a group that was never started`);
    }
    const field = shape.fields.get(number);
    if (!field) {
      skipUnknown(cursor, wireType, number, here, depth);
      continue;
    }
    const fieldPath = shape.wrapper && path ? path : pathOf(path, field.name);
    if (wireType === field.wireType) readValue(field, cursor, fieldPath, depth);
    else if (wireType === LENGTH_DELIMITED && field.packable) readPacked(field, cursor, fieldPath);
    else throw new WireFormatError(fieldPath, `has wire type ${wireType} where its type needs wire type ${field.wireType} (field ${number})`);
  }
  if (groupNumber !== undefined) throw new WireFormatError(here, `group ${groupNumber} is never closed`);
}

function readValue(field: FieldShape, cursor: Cursor, path: string, depth: number): void {
  switch (field.wireType) {
    case VARINT:
      readVarint(cursor, path, 'its value');
      return;
    case FIXED64:
      take(cursor, 8, path, 'its 64-bit value');
      return;
    case FIXED32:
      take(cursor, 4, path, 'its 32-bit value');
      return;
    default: {
      const length = readVarint(cursor, path, 'its length');
      const start = take(cursor, length, path, 'its length');
      if (field.message) walkMessage(field.message, new Cursor(cursor.bytes, start, start + length), path, depth + 1);
      else if (field.utf8 && !isUtf8(cursor.bytes.subarray(start, start + length))) throw new WireFormatError(path, 'is not valid UTF-8');
    }
  }
}

function readPacked(field: FieldShape, cursor: Cursor, path: string): void {
  const length = readVarint(cursor, path, 'its packed length');
  const start = take(cursor, length, path, 'its packed length');
  const values = new Cursor(cursor.bytes, start, start + length);
  while (values.pos < values.end) readValue(field, values, path, 0);
}

function skipUnknown(cursor: Cursor, wireType: number, number: number, path: string, depth: number): void {
  const what = `unknown field ${number}`;
  switch (wireType) {
    case VARINT:
      readVarint(cursor, path, what);
      return;
    case FIXED64:
      take(cursor, 8, path, what);
      return;
    case FIXED32:
      take(cursor, 4, path, what);
      return;
    case LENGTH_DELIMITED:
      take(cursor, readVarint(cursor, path, `the length of ${what}`), path, what);
      return;
    default:
      walkMessage(EMPTY_SHAPE, cursor, path, depth + 1, number);
  }
}
