/**
 * WeCom callback messages: the encrypted envelope POSTed to us, the decrypted message inside
 * it, and the passive (encrypted) reply.
 */
import { CallbackError } from "./callback-crypto.ts";
import { buildXml, parseXml, textField } from "./xml.ts";
import type { XmlFields } from "./xml.ts";

/** The POST body: who it is for and the ciphertext. */
export interface Envelope {
  toUserName: string;
  agentId?: string;
  encrypt: string;
}

/** A decrypted message (接收普通消息 / 接收事件). */
export interface IncomingMessage {
  /** Our CorpID. */
  toUserName: string;
  /** The sender's WeCom user id: the only identity used for authorization. */
  fromUserName: string;
  createTime: number;
  /** text, image, voice, event, … */
  msgType: string;
  /** The text of a text message. */
  content?: string;
  /** Present on ordinary messages, absent on events. */
  msgId?: string;
  agentId?: string;
  /** The event name of an event message. */
  event?: string;
}

/** WeCom user ids: letters, digits and a few separators, at most 64 characters. */
const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;
/** WeCom caps a text message at 2048 bytes. */
const MAX_CONTENT_BYTES = 2048;

function malformed(message: string): never {
  throw new CallbackError("Malformed", message);
}

function required(fields: XmlFields, name: string, max = 256): string {
  const value = textField(fields, name)?.trim();
  if (!value) malformed(`<${name}> is missing`);
  if (value.length > max) malformed(`<${name}> is too long`);
  return value;
}

function optional(fields: XmlFields, name: string, pattern: RegExp): string | undefined {
  const value = textField(fields, name)?.trim();
  if (value === undefined || value === "") return undefined;
  if (!pattern.test(value)) malformed(`<${name}> is invalid`);
  return value;
}

/** Parses the POST body: `<xml><ToUserName/><AgentID/><Encrypt/></xml>`. */
export function parseEnvelope(body: string): Envelope {
  const fields = parseXml(body);
  return {
    toUserName: required(fields, "ToUserName"),
    agentId: optional(fields, "AgentID", /^\d{1,20}$/),
    encrypt: required(fields, "Encrypt", 64 * 1024),
  };
}

/** Parses the decrypted message and checks the fields the handler relies on. */
export function parseMessage(plaintext: string): IncomingMessage {
  const fields = parseXml(plaintext);
  const fromUserName = required(fields, "FromUserName");
  if (!USER_ID.test(fromUserName)) malformed("<FromUserName> is not a user id");
  const createTime = required(fields, "CreateTime", 12);
  if (!/^\d+$/.test(createTime)) malformed("<CreateTime> is not a number");
  const message: IncomingMessage = {
    toUserName: required(fields, "ToUserName"),
    fromUserName,
    createTime: Number(createTime),
    msgType: required(fields, "MsgType", 32),
    msgId: optional(fields, "MsgId", /^[A-Za-z0-9_-]{1,64}$/),
    agentId: optional(fields, "AgentID", /^\d{1,20}$/),
    event: optional(fields, "Event", /^[A-Za-z0-9_]{1,64}$/),
  };
  if (message.msgType === "text") {
    const content = textField(fields, "Content");
    if (content === undefined) malformed("<Content> is missing");
    if (Buffer.byteLength(content, "utf8") > MAX_CONTENT_BYTES) malformed("<Content> is too long");
    if (!message.msgId) malformed("<MsgId> is missing");
    message.content = content;
  }
  return message;
}

/** The plaintext of a passive text reply to a user. */
export function buildTextReply(to: string, corpId: string, content: string, createTime: number): string {
  return buildXml([
    ["ToUserName", to],
    ["FromUserName", corpId],
    ["CreateTime", createTime],
    ["MsgType", "text"],
    ["Content", content],
  ]);
}

/** The encrypted passive reply envelope WeCom expects as the response body. */
export function buildEncryptedReply(fields: {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}): string {
  return buildXml([
    ["Encrypt", fields.encrypt],
    ["MsgSignature", fields.msgSignature],
    ["TimeStamp", Number(fields.timestamp)],
    ["Nonce", fields.nonce],
  ]);
}
