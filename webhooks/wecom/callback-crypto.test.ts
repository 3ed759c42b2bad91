import { decrypt, encrypt, getSignature } from "@wecom/crypto";
import { describe, expect, it } from "vitest";
import type { CallbackError } from "./callback-crypto.ts";
import {
  assertEncodingAESKey,
  decryptVerified,
  encryptReply,
  signature,
  verifySignature,
} from "./callback-crypto.ts";
import { TEST_SECRETS } from "./testing.ts";

describe("callback crypto", () => {
  const ciphertext = encrypt(TEST_SECRETS.encodingAESKey, "<xml>hi</xml>", TEST_SECRETS.corpId);

  it("computes the official msg_signature: sha1 of the sorted token, timestamp, nonce, ciphertext", () => {
    expect(signature(TEST_SECRETS.token, "1409659813", "1372623149", ciphertext)).toBe(
      getSignature(TEST_SECRETS.token, "1409659813", "1372623149", ciphertext),
    );
  });

  it("verifies a good signature and refuses a wrong one, of any length", () => {
    const msgSignature = getSignature(TEST_SECRETS.token, "1", "n", ciphertext);
    expect(verifySignature(TEST_SECRETS, { msgSignature, timestamp: "1", nonce: "n" }, ciphertext)).toBe(
      true,
    );
    expect(
      verifySignature(
        TEST_SECRETS,
        { msgSignature: msgSignature.toUpperCase(), timestamp: "1", nonce: "n" },
        ciphertext,
      ),
    ).toBe(true);
    const flipped = (msgSignature[0] === "a" ? "b" : "a") + msgSignature.slice(1);
    expect(
      verifySignature(TEST_SECRETS, { msgSignature: flipped, timestamp: "1", nonce: "n" }, ciphertext),
    ).toBe(false);
    expect(
      verifySignature(TEST_SECRETS, { msgSignature: "abc", timestamp: "1", nonce: "n" }, ciphertext),
    ).toBe(false);
    expect(verifySignature(TEST_SECRETS, { msgSignature, timestamp: "2", nonce: "n" }, ciphertext)).toBe(
      false,
    );
  });

  it("decrypts a message for our CorpID", () => {
    expect(decryptVerified(TEST_SECRETS, ciphertext)).toBe("<xml>hi</xml>");
  });

  it("refuses a message whose receive id is another CorpID", () => {
    const other = encrypt(TEST_SECRETS.encodingAESKey, "<xml>hi</xml>", "wwOTHERCORP");
    expect(() => decryptVerified(TEST_SECRETS, other)).toThrow(
      expect.objectContaining({ failure: "WrongReceiver" }) as CallbackError,
    );
  });

  it("refuses ciphertext that is not base64 or does not decrypt", () => {
    expect(() => decryptVerified(TEST_SECRETS, "not base64!")).toThrow(
      expect.objectContaining({ failure: "Malformed" }),
    );
    expect(() => decryptVerified(TEST_SECRETS, "AAAA")).toThrow(
      expect.objectContaining({ failure: "Malformed" }),
    );
  });

  it("encrypts replies the official package decrypts, signed", () => {
    const sealed = encryptReply(TEST_SECRETS, "<xml>reply</xml>", "1700000000", "abc");
    expect(decrypt(TEST_SECRETS.encodingAESKey, sealed.encrypt)).toMatchObject({
      message: "<xml>reply</xml>",
      id: TEST_SECRETS.corpId,
    });
    expect(sealed.msgSignature).toBe(getSignature(TEST_SECRETS.token, "1700000000", "abc", sealed.encrypt));
  });

  it("checks the EncodingAESKey shape without echoing it", () => {
    expect(() => assertEncodingAESKey(TEST_SECRETS.encodingAESKey)).not.toThrow();
    expect(() => assertEncodingAESKey("short-secret-value")).toThrow(/43 base64 characters/);
    try {
      assertEncodingAESKey("short-secret-value");
    } catch (err) {
      expect((err as Error).message).not.toContain("short-secret-value");
    }
  });
});
