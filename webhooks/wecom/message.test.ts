import { describe, expect, it } from "vitest";
import { buildEncryptedReply, buildTextReply, parseEnvelope, parseMessage } from "./message.ts";
import { buildXml, cdata, parseXml } from "./xml.ts";

const TEXT = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>
<FromUserName><![CDATA[zhangsan]]></FromUserName>
<CreateTime>1348831860</CreateTime>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[诊断 shop/deployment/checkout]]></Content>
<MsgId>1234567890123456</MsgId>
<AgentID>1</AgentID></xml>`;

describe("parseXml", () => {
  it("reads CDATA, escaped text and nested events", () => {
    const fields = parseXml(
      `<?xml version="1.0"?><xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><B>a &lt;b&gt; &amp; &#20013;</B><C><Count>1</Count><List><item>1</item><item>2</item></List></C></xml>`,
    );
    expect(fields.A).toBe("x]]>y");
    expect(fields.B).toBe("a <b> & 中");
    expect(fields.C).toEqual({ Count: "1", List: { item: "1" } });
  });

  it.each([
    ["not xml", "hello"],
    ["another root", "<root><A>1</A></root>"],
    ["a DOCTYPE", '<!DOCTYPE xml [<!ENTITY x "y">]><xml><A>&x;</A></xml>'],
    ["an unknown entity", "<xml><A>&x;</A></xml>"],
    ["attributes", '<xml><A b="1">1</A></xml>'],
    ["a repeated top-level field", "<xml><A>1</A><A>2</A></xml>"],
    ["an unterminated element", "<xml><A>1</xml>"],
    ["trailing content", "<xml><A>1</A></xml><xml></xml>"],
    ["mixed text and elements", "<xml><A>t<B>1</B></A></xml>"],
    ["deep nesting", "<xml><A><B><C><D><E>1</E></D></C></B></A></xml>"],
    ["a <__proto__> field", "<xml><__proto__><polluted>1</polluted></__proto__></xml>"],
    ["a nested <__proto__>", "<xml><A><__proto__><polluted>1</polluted></__proto__></A></xml>"],
    ["a <constructor> field", "<xml><constructor><prototype>1</prototype></constructor></xml>"],
    ["an external entity", '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><A>&x;</A></xml>'],
  ])("refuses %s", (_what, xml) => {
    expect(() => parseXml(xml)).toThrow(expect.objectContaining({ failure: "Malformed" }));
  });

  it("cannot pollute Object.prototype, and fields have no prototype to reach", () => {
    for (const xml of [
      "<xml><__proto__><polluted>1</polluted></__proto__></xml>",
      "<xml><A><__proto__><polluted>1</polluted></__proto__></A></xml>",
    ])
      expect(() => parseXml(xml)).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const fields = parseXml("<xml><A>1</A></xml>");
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(fields.toString).toBeUndefined();
  });
});

describe("messages", () => {
  it("parses the envelope", () => {
    expect(
      parseEnvelope(
        "<xml><ToUserName><![CDATA[corp]]></ToUserName><AgentID><![CDATA[1]]></AgentID><Encrypt><![CDATA[abc=]]></Encrypt></xml>",
      ),
    ).toEqual({
      toUserName: "corp",
      agentId: "1",
      encrypt: "abc=",
    });
    expect(() => parseEnvelope("<xml><ToUserName>corp</ToUserName></xml>")).toThrow(/Encrypt/);
  });

  it("parses a text message", () => {
    expect(parseMessage(TEXT)).toEqual({
      toUserName: "wx5823bf96d3bd56c7",
      fromUserName: "zhangsan",
      createTime: 1348831860,
      msgType: "text",
      content: "诊断 shop/deployment/checkout",
      msgId: "1234567890123456",
      agentId: "1",
      event: undefined,
    });
  });

  it("parses an event without MsgId", () => {
    const event = parseMessage(
      "<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event><AgentID>1</AgentID></xml>",
    );
    expect(event).toMatchObject({ msgType: "event", event: "enter_agent" });
    expect(event.msgId).toBeUndefined();
  });

  it.each([
    ["a text without MsgId", TEXT.replace(/<MsgId>.*<\/MsgId>/, "")],
    ["a text without Content", TEXT.replace(/<Content>.*<\/Content>/, "")],
    ["a user id with odd characters", TEXT.replace("zhangsan", "zhang san<")],
    ["a non-numeric CreateTime", TEXT.replace("1348831860", "soon")],
    ["a content over 2048 bytes", TEXT.replace("诊断 shop/deployment/checkout", "诊".repeat(700))],
  ])("refuses %s", (_what, xml) => {
    expect(() => parseMessage(xml)).toThrow(expect.objectContaining({ failure: "Malformed" }));
  });

  it("builds replies with CDATA that survives ]]> and drops characters XML cannot carry", () => {
    const xml = buildTextReply("zhangsan", "corp", "a ]]> b \u0001c", 1700000000);
    expect(xml).toBe(
      "<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[corp]]></FromUserName>" +
        "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>" +
        "<Content><![CDATA[a ]]]]><![CDATA[> b c]]></Content></xml>",
    );
    expect(parseXml(xml).Content).toBe("a ]]> b c");
    expect(cdata("x")).toBe("<![CDATA[x]]>");
    expect(() => buildXml([["bad name", "x"]])).toThrow();
  });

  it("builds the encrypted reply envelope", () => {
    expect(buildEncryptedReply({ encrypt: "e", msgSignature: "s", timestamp: "17", nonce: "n" })).toBe(
      "<xml><Encrypt><![CDATA[e]]></Encrypt><MsgSignature><![CDATA[s]]></MsgSignature><TimeStamp>17</TimeStamp><Nonce><![CDATA[n]]></Nonce></xml>",
    );
  });
});
