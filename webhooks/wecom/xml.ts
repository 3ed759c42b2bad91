/**
 * WeCom's XML: one <xml> root of simple elements whose text is CDATA or escaped characters.
 * fast-xml-parser reads it (after its validator) with entity processing off, so a DOCTYPE can
 * neither declare nor expand anything; this module then accepts only that shape: no
 * attributes, no DOCTYPE, no entities beyond the five predefined ones and character
 * references, no element named after an Object.prototype property (`__proto__`, `constructor`,
 * `prototype`), bounded depth and element count. Fields are null-prototype objects.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { CallbackError } from "./callback-crypto.ts";

/** An element's text, or its children for the few events that nest. */
export type XmlValue = string | XmlFields;
/** Children of an element by name (the first one wins among repeated nested children). */
export type XmlFields = { [name: string]: XmlValue };

const MAX_DEPTH = 4;
const MAX_ELEMENTS = 200;
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);
const TEXT = "#text";
const CDATA = "#cdata";
const ATTRIBUTES = ":@";

/** A node of fast-xml-parser's preserveOrder output: one element, text or CDATA section. */
type OrderedNode = { [key: string]: OrderedNode[] | string | undefined };

const parser = new XMLParser({
  preserveOrder: true,
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  cdataPropName: CDATA,
  maxNestedTags: MAX_DEPTH + 2,
});

function fail(message: string): never {
  throw new CallbackError("Malformed", `XML ${message}`);
}

/** Parses `<xml>…</xml>` into its fields; throws CallbackError Malformed on anything else. */
export function parseXml(text: string): XmlFields {
  const body = text.replace(/^\uFEFF/, "");
  if (/<!DOCTYPE/i.test(body)) fail("has a DOCTYPE");
  const valid = XMLValidator.validate(body);
  if (valid !== true) fail(`is not well-formed: ${valid.err.msg}`);
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(body) as OrderedNode[];
  } catch (err) {
    fail(`is not well-formed: ${(err as Error).message}`);
  }
  const roots = nodes.filter((n) => !isBlankText(n));
  const root = roots[0];
  if (roots.length !== 1 || root === undefined || elementName(root) !== "xml") fail("root must be <xml>");
  const value = readElement(root, "xml", 0, { elements: 0 });
  return typeof value === "string"
    ? value === ""
      ? Object.create(null)
      : fail("root must hold elements")
    : value;
}

function isBlankText(node: OrderedNode): boolean {
  const text = node[TEXT];
  return typeof text === "string" && text.trim() === "";
}

/** The element name of a node, or undefined for text and CDATA. */
function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ATTRIBUTES && k !== TEXT && k !== CDATA);
}

/** The name of a child element; Malformed unless a plain name that is no Object.prototype property. */
function childElementName(child: OrderedNode, parent: string): string {
  const name = elementName(child);
  if (name === undefined || !NAME.test(name) || FORBIDDEN_NAMES.has(name))
    fail(`has an unexpected element in <${parent}>`);
  return name;
}

/** An element's value: its text (CDATA raw, text decoded), or its children by name. */
function readElement(node: OrderedNode, name: string, depth: number, count: { elements: number }): XmlValue {
  if (depth > MAX_DEPTH) fail("nests too deep");
  if (node[ATTRIBUTES] !== undefined) fail(`has attributes on <${name}>`);
  const children = (node[name] ?? []) as OrderedNode[];
  let text = "";
  let fields: XmlFields | undefined;
  for (const child of children) {
    const cdata = child[CDATA];
    if (Array.isArray(cdata)) text += cdata.map((t) => String(t[TEXT] ?? "")).join("");
    else if (typeof child[TEXT] === "string") text += decodeText(child[TEXT]);
    else {
      const childName = childElementName(child, name);
      if (++count.elements > MAX_ELEMENTS) fail("has too many elements");
      fields ??= Object.create(null) as XmlFields;
      const value = readElement(child, childName, depth + 1, count);
      if (Object.hasOwn(fields, childName)) {
        if (depth === 0) fail(`repeats <${childName}>`);
        continue;
      }
      fields[childName] = value;
    }
  }
  if (fields === undefined) return text;
  if (text.trim() !== "") fail(`mixes text and elements in <${name}>`);
  return fields;
}

function decodeText(raw: string): string {
  return raw.replace(/&([^;&\s]{0,10});|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) fail("has a bare &");
    if (Object.hasOwn(ENTITIES, ref)) return ENTITIES[ref] as string;
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
