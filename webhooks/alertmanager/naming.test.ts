import { describe, expect, it } from "vitest";
import { alertTaskLabels, alertTaskName, fingerprintPart, labelValue } from "./naming.ts";

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe("alertTaskName", () => {
  it("is alert-<slug>-<first 12 of the fingerprint>", () => {
    expect(alertTaskName("KubePodCrashLooping", "0123456789ABCDEF")).toBe(
      "alert-kubepodcrashlooping-0123456789ab",
    );
  });

  it("is deterministic, at most 63 characters and a DNS-1123 label for any input", () => {
    const names = ["a".repeat(300), "Node::Disk_Full!!", "-_-", "数据库连接失败", "X"];
    for (const n of names) {
      const name = alertTaskName(n, "fedcba9876543210");
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(DNS_1123_LABEL);
      expect(alertTaskName(n, "fedcba9876543210")).toBe(name);
    }
    expect(alertTaskName("数据库连接失败", "fedcba9876543210")).toBe("alert-fedcba987654");
    expect(alertTaskName("Node::Disk_Full!!", "fedcba9876543210")).toBe("alert-node-disk-full-fedcba987654");
  });

  it("hashes a fingerprint that is not hex", () => {
    expect(fingerprintPart("not-hex!")).toMatch(/^[0-9a-f]{12}$/);
    expect(fingerprintPart("not-hex!")).toBe(fingerprintPart("not-hex!"));
    expect(fingerprintPart("abc")).not.toBe("abc");
  });
});

describe("labels", () => {
  it("sanitizes values to valid label values", () => {
    expect(labelValue("job:up:rate5m")).toBe("job_up_rate5m");
    expect(labelValue("__x__")).toBe("x");
    expect(labelValue("x".repeat(100))).toHaveLength(63);
    expect(labelValue("???")).toBeUndefined();
  });

  it("labels alertname, severity and fingerprint, skipping empty ones", () => {
    expect(alertTaskLabels({ alertname: "Up" }, "0123456789abcdef")).toEqual({
      "aisre.io/alertname": "Up",
      "aisre.io/fingerprint": "0123456789abcdef",
    });
  });
});
