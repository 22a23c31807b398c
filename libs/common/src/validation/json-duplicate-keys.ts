/** Nesting past this is refused by the body depth rule anyway; the scan stops there. */
const MAX_SCAN_DEPTH = 64;

class StopScan extends Error {}

/**
 * The path (`address.billing_address.city`, `items[2].name`) of the first key that appears twice
 * in one JSON object of `text`, or undefined. `JSON.parse` keeps the last value silently, so a
 * request could mean two things; the body is refused instead. Text that is not valid JSON (or
 * nests deeper than the scan goes) yields undefined: the parser and the depth rule refuse it.
 */
export function findDuplicateJsonKey(text: string): string | undefined {
  let pos = 0;
  let first: string | undefined;
  const skipWhitespace = () => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\n' || text[pos] === '\r' || text[pos] === '\t')) pos += 1;
  };
  const expect = (char: string) => {
    skipWhitespace();
    if (text[pos] !== char) throw new StopScan();
    pos += 1;
  };
  const readString = (): string => {
    const start = pos;
    pos += 1;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) throw new StopScan();
    pos += 1;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      throw new StopScan();
    }
  };
  const readValue = (path: string, depth: number): void => {
    if (depth > MAX_SCAN_DEPTH) throw new StopScan();
    skipWhitespace();
    const char = text[pos];
    if (char === '{') {
      pos += 1;
      const keys = new Set<string>();
      skipWhitespace();
      if (text[pos] === '}') {
        pos += 1;
        return;
      }
      for (;;) {
        skipWhitespace();
        if (text[pos] !== '"') throw new StopScan();
        const key = readString();
        const keyPath = path ? `${path}.${key}` : key;
        if (keys.has(key)) first ??= keyPath;
        keys.add(key);
        expect(':');
        readValue(keyPath, depth + 1);
        skipWhitespace();
        if (text[pos] === '}') {
          pos += 1;
          return;
        }
        expect(',');
      }
    }
    if (char === '[') {
      pos += 1;
      skipWhitespace();
      if (text[pos] === ']') {
        pos += 1;
        return;
      }
      for (let index = 0; ; index += 1) {
        readValue(`${path}[${index}]`, depth + 1);
        skipWhitespace();
        if (text[pos] === ']') {
          pos += 1;
          return;
        }
        expect(',');
      }
    }
    if (char === '"') {
      readString();
      return;
    }
    const start = pos;
    while (pos < text.length && !',]} \n\r\t'.includes(text[pos])) pos += 1;
    if (pos === start) throw new StopScan();
  };
  try {
    readValue('', 0);
    skipWhitespace();
    return pos === text.length ? first : undefined;
  } catch (error) {
    if (error instanceof StopScan) return undefined;
    throw error;
  }
}
