/**
 * A small strict reader and writer for WeCom's XML: one <xml> root of simple elements whose
 * text is CDATA or escaped characters. No attributes, no DOCTYPE, no entities beyond the five
 * predefined ones and character references, so nothing can expand or fetch anything.
 */
import { CallbackError } from "./callback-crypto.ts";

/** An element's text, or its children for the few events that nest. */
export type XmlValue = string | XmlFields;
/** Children of an element by name (the first one wins among repeated nested children). */
export type XmlFields = { [name: string]: XmlValue };

const MAX_DEPTH = 4;
const MAX_ELEMENTS = 200;
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

interface Cursor {
  text: string;
  pos: number;
  elements: number;
}

function fail(message: string): never {
  throw new CallbackError("Malformed", `XML ${message}`);
}

/** Parses `<xml>…</xml>` into its fields; throws CallbackError Malformed on anything else. */
export function parseXml(text: string): XmlFields {
  const body = text.replace(/^\uFEFF/, "").replace(/^\s*<\?xml[^>]*\?>/, "");
  const cursor: Cursor = { text: body, pos: 0, elements: 0 };
  skipSpace(cursor);
  if (!body.startsWith("<xml>", cursor.pos)) fail("root must be <xml>");
  cursor.pos += "<xml>".length;
  const fields = readChildren(cursor, "xml", 0);
  skipSpace(cursor);
  if (cursor.pos !== body.length) fail("has content after </xml>");
  return fields;
}

function skipSpace(c: Cursor): void {
  while (c.pos < c.text.length && /\s/.test(c.text[c.pos] ?? "")) c.pos++;
}

/** Reads child elements until `</parent>`. */
function readChildren(c: Cursor, parent: string, depth: number): XmlFields {
  const fields: XmlFields = {};
  const open = /<([A-Za-z_][A-Za-z0-9_]*)>/y;
  for (;;) {
    skipSpace(c);
    if (c.text.startsWith(`</${parent}>`, c.pos)) {
      c.pos += parent.length + 3;
      return fields;
    }
    open.lastIndex = c.pos;
    const m = open.exec(c.text);
    if (!m) fail(`has an unexpected token in <${parent}>`);
    const name = m[1] as string;
    if (++c.elements > MAX_ELEMENTS) fail("has too many elements");
    c.pos = open.lastIndex;
    const value = readValue(c, name, depth + 1);
    if (name in fields) {
      if (depth === 0) fail(`repeats <${name}>`);
      continue;
    }
    fields[name] = value;
  }
}

/** Reads an element's content after its start tag: text/CDATA, or nested children. */
function readValue(c: Cursor, name: string, depth: number): XmlValue {
  if (depth > MAX_DEPTH) fail("nests too deep");
  const close = `</${name}>`;
  let value = "";
  for (;;) {
    if (c.text.startsWith(close, c.pos)) {
      c.pos += close.length;
      return value;
    }
    if (c.text.startsWith("<![CDATA[", c.pos)) {
      const end = c.text.indexOf("]]>", c.pos);
      if (end < 0) fail("has an unterminated CDATA section");
      value += c.text.slice(c.pos + 9, end);
      c.pos = end + 3;
    } else if (c.text.startsWith("<", c.pos)) {
      if (value.trim() !== "") fail(`mixes text and elements in <${name}>`);
      return readChildren(c, name, depth);
    } else {
      const end = c.text.indexOf("<", c.pos);
      if (end < 0) fail(`has an unterminated <${name}>`);
      value += decodeText(c.text.slice(c.pos, end));
      c.pos = end;
    }
  }
}

function decodeText(raw: string): string {
  return raw.replace(/&([^;&\s]{0,10});|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) fail("has a bare &");
    if (ref in ENTITIES) return ENTITIES[ref] as string;
    const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref)
      ? parseInt(ref.slice(2), 16)
      : /^#[0-9]{1,7}$/.test(ref)
        ? parseInt(ref.slice(1), 10)
        : NaN;
    if (!Number.isInteger(code) || code > 0x10ffff) fail(`has an unknown entity &${ref};`);
    return String.fromCodePoint(code);
  });
}

/** The text of a field, or undefined when absent; throws when the field nests elements. */
export function textField(fields: XmlFields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail(`<${name}> must be text`);
  return value;
}

// Characters XML 1.0 cannot carry at all; dropped rather than sent and rejected.
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** A CDATA section holding any text: "]]>" is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(INVALID_XML_CHARS, "").split("]]>").join("]]]]><![CDATA[>")}]]>`;
}

/** Builds `<xml>` with the given fields in order: strings as CDATA, numbers as text. */
export function buildXml(fields: ReadonlyArray<readonly [string, string | number]>): string {
  const inner = fields
    .map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid XML element name ${name}`);
      const text = typeof value === "number" ? String(Math.trunc(value)) : cdata(value);
      return `<${name}>${text}</${name}>`;
    })
    .join("");
  return `<xml>${inner}</xml>`;
}
