import { describe, expect, it } from "vitest";
import { ActionFailedError } from "../action.ts";
import { credentialsFromSecretData } from "./access.ts";
import type { Ec2Access } from "./access.ts";
import { ec2DryRun } from "./dry-run.ts";
import { allowedInstance, hasAllowTag } from "./instances.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

describe("EC2 credentials from a Secret", () => {
  it("reads the AWS_* keys the CRD documents, or the camelCase ones", () => {
    expect(
      credentialsFromSecretData(
        { AWS_ACCESS_KEY_ID: b64("AKIA"), AWS_SECRET_ACCESS_KEY: b64("s3cr3t\n") },
        "ns/aws",
      ),
    ).toEqual({
      accessKeyId: "AKIA",
      secretAccessKey: "s3cr3t",
    });
    expect(
      credentialsFromSecretData(
        { accessKeyId: b64("A"), secretAccessKey: b64("B"), sessionToken: b64("T") },
        "ns/aws",
      ),
    ).toEqual({ accessKeyId: "A", secretAccessKey: "B", sessionToken: "T" });
  });

  it("names the missing key and never a value", () => {
    const err = (() => {
      try {
        credentialsFromSecretData({ AWS_ACCESS_KEY_ID: b64("AKIA-very-secret") }, "ns/aws");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toBe("Secret ns/aws needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  });
});

describe("EC2 DryRun", () => {
  it("passes on DryRunOperation and fails on UnauthorizedOperation or anything else", async () => {
    expect(await ec2DryRun(() => Promise.reject(named("DryRunOperation")), "stop of i-1")).toEqual({
      passed: true,
      message: "EC2 accepts stop of i-1 (DryRunOperation)",
    });
    expect(
      await ec2DryRun(
        () => Promise.reject(named("UnauthorizedOperation", "You are not authorized")),
        "stop of i-1",
      ),
    ).toEqual({
      passed: false,
      message: "EC2 refuses stop of i-1: not authorized: You are not authorized",
    });
    expect((await ec2DryRun(() => Promise.reject(named("IncorrectInstanceState")), "x")).passed).toBe(false);
    // An endpoint that ignores DryRun and acts is not to be trusted with a dry run.
    expect((await ec2DryRun(() => Promise.resolve({}), "x")).passed).toBe(false);
  });
});

describe("the allow tag", () => {
  const access = (tags: { Key: string; Value: string }[]): Ec2Access => ({
    allowTag: { key: "aisre.io/allow", value: "yes" },
    client: {
      send: (async () => ({
        Reservations: [{ Instances: [{ InstanceId: "i-0123456789abcdef0", Tags: tags }] }],
      })) as unknown as Ec2Access["client"]["send"],
    },
  });

  it("needs the exact key and value", async () => {
    expect(
      hasAllowTag(
        { Tags: [{ Key: "aisre.io/allow", Value: "yes" }] },
        { key: "aisre.io/allow", value: "yes" },
      ),
    ).toBe(true);
    expect(
      hasAllowTag(
        { Tags: [{ Key: "aisre.io/allow", Value: "YES" }] },
        { key: "aisre.io/allow", value: "yes" },
      ),
    ).toBe(false);
    await expect(
      allowedInstance(access([{ Key: "aisre.io/allow", Value: "yes" }]), "i-0123456789abcdef0"),
    ).resolves.toBeDefined();
    await expect(allowedInstance(access([]), "i-0123456789abcdef0")).rejects.toThrow(ActionFailedError);
    await expect(allowedInstance(access([]), "i-0123456789abcdef0")).rejects.toThrow(
      /lacks the allow tag aisre.io\/allow=yes/,
    );
  });
});
