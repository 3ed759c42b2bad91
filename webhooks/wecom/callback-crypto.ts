/**
 * The WeCom callback cipher (加解密方案): msg_signature = sha1 of the sorted token, timestamp, nonce
 * and ciphertext; AES-256-CBC with the EncodingAESKey; the plaintext ends with the receive id,
 * which must be our CorpID. The cipher itself is the official @wecom/crypto package.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { decrypt, encrypt, getSignature } from "@wecom/crypto";

/** The secrets of one WeCom application's callback, from its admin console (接收消息服务器配置). */
export interface CallbackSecrets {
  token: string;
  /** 43 characters of base64 without the trailing "=". */
  encodingAESKey: string;
  /** The receive id every decrypted message must carry. */
  corpId: string;
}

/** Why a callback was refused; the plugin maps each to an HTTP status. */
export type CallbackFailure = "BadSignature" | "Malformed" | "WrongReceiver" | "Stale" | "Replayed";

/** A refused callback. The message is for logs and never contains key material or plaintext. */
export class CallbackError extends Error {
  readonly failure: CallbackFailure;

  constructor(failure: CallbackFailure, message: string) {
    super(message);
    this.name = "CallbackError";
    this.failure = failure;
  }
}

/** Throws unless the EncodingAESKey decodes to a 32-byte AES key, so a typo fails at startup. */
export function assertEncodingAESKey(encodingAESKey: string): void {
  if (
    !/^[A-Za-z0-9+/]{43}$/.test(encodingAESKey) ||
    Buffer.from(`${encodingAESKey}=`, "base64").length !== 32
  ) {
    throw new Error("EncodingAESKey must be 43 base64 characters (a 32-byte AES key)");
  }
}

/** Computes msg_signature over the sorted token, timestamp, nonce and ciphertext. */
export function signature(token: string, timestamp: string, nonce: string, ciphertext: string): string {
  return getSignature(token, timestamp, nonce, ciphertext);
}

/** Compares a received msg_signature with the expected one in constant time. */
export function verifySignature(
  secrets: CallbackSecrets,
  query: { msgSignature: string; timestamp: string; nonce: string },
  ciphertext: string,
): boolean {
  const expected = Buffer.from(signature(secrets.token, query.timestamp, query.nonce, ciphertext), "utf8");
  const received = Buffer.from(query.msgSignature.toLowerCase(), "utf8");
  // timingSafeEqual needs equal lengths; a length mismatch says nothing about the secret token.
  return expected.length === received.length && timingSafeEqual(expected, received);
}

/** Decrypts a ciphertext whose signature was verified, and checks that its receive id is our CorpID. */
export function decryptVerified(secrets: CallbackSecrets, ciphertext: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(ciphertext) || ciphertext.length % 4 !== 0) {
    throw new CallbackError("Malformed", "ciphertext is not base64");
  }
  let result: { message: string; id: string };
  try {
    result = decrypt(secrets.encodingAESKey, ciphertext);
  } catch {
    throw new CallbackError("Malformed", "ciphertext did not decrypt");
  }
  if (!sameString(result.id, secrets.corpId)) {
    throw new CallbackError("WrongReceiver", "receive id is not the configured CorpID");
  }
  return result.message;
}

/** Encrypts a reply for WeCom and signs it: the fields of the encrypted passive reply. */
export function encryptReply(
  secrets: CallbackSecrets,
  plaintext: string,
  timestamp: string,
  nonce: string,
): { encrypt: string; msgSignature: string } {
  const ciphertext = encrypt(secrets.encodingAESKey, plaintext, secrets.corpId, randomBytes(16));
  return { encrypt: ciphertext, msgSignature: signature(secrets.token, timestamp, nonce, ciphertext) };
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
