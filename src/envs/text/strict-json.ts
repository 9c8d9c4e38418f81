/**
 * A small strict JSON parser (RFC 8259 grammar) for verifiers: unlike JSON.parse it reports duplicate object keys
 * and keeps objects as Maps (a key such as "__proto__" is then an ordinary key). Returns null on any syntax error.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

export interface ParsedJson {
  value: JsonValue;
  /** Keys that occur more than once in some object (the last occurrence is the one kept). */
  duplicateKeys: string[];
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseStrictJson(text: string): ParsedJson | null {
  let pos = 0;
  const duplicateKeys: string[] = [];
  const fail = (): never => {
    throw SYNTAX;
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const expect = (literal: string) => {
    if (!text.startsWith(literal, pos)) fail();
    pos += literal.length;
  };

  function value(): JsonValue {
    skipSpace();
    const c = text[pos];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return expect('true'), true;
    if (c === 'f') return expect('false'), false;
    if (c === 'n') return expect('null'), null;
    return number();
  }
  function object(): JsonObject {
    pos++;
    const out: JsonObject = new Map();
    skipSpace();
    if (text[pos] === '}') return pos++, out;
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail();
      const key = string();
      skipSpace();
      expect(':');
      const v = value();
      if (out.has(key)) duplicateKeys.push(key);
      out.set(key, v);
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] === '}') return pos++, out;
      else fail();
    }
  }
  function array(): JsonValue[] {
    pos++;
    const out: JsonValue[] = [];
    skipSpace();
    if (text[pos] === ']') return pos++, out;
    for (;;) {
      out.push(value());
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] === ']') return pos++, out;
      else fail();
    }
  }
  function string(): string {
    pos++;
    let out = '';
    for (;;) {
      const c = text[pos++];
      if (c === undefined || c < ' ') fail();
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[pos++]!;
      if (e === 'u') {
        const hex = text.slice(pos, pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail();
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 4;
      } else if (Object.hasOwn(ESCAPES, e)) out += ESCAPES[e];
      else fail();
    }
  }
  function number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!m) fail();
    pos += m![0].length;
    return Number(m![0]);
  }

  try {
    const v = value();
    skipSpace();
    return pos === text.length ? { value: v, duplicateKeys } : null;
  } catch (e) {
    if (e === SYNTAX) return null;
    throw e;
  }
}

const SYNTAX = new Error('json syntax');

export function isJsonObject(value: JsonValue): value is JsonObject {
  return value instanceof Map;
}
