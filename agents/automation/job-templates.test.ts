import type { V1Job } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { jobFromCronJob, jobFromJob, jobOutcome, rerunName } from "./job-templates.ts";

const generated = {
  "controller-uid": "u1",
  "batch.kubernetes.io/controller-uid": "u1",
  "job-name": "import",
  "batch.kubernetes.io/job-name": "import",
};

describe("Job templates", () => {
  it("copies a Job without its generated selector and labels", () => {
    const job: V1Job = {
      metadata: { name: "import", namespace: "batch", uid: "u1", labels: { team: "data", ...generated } },
      spec: {
        selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "u1" } },
        manualSelector: false,
        backoffLimit: 2,
        template: {
          metadata: { labels: { team: "data", ...generated } },
          spec: { restartPolicy: "Never", containers: [] },
        },
      },
      status: { failed: 3 },
    };
    const copy = jobFromJob(job, "import-rerun-x");
    expect(copy).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: "import-rerun-x",
        namespace: "batch",
        labels: { team: "data" },
        annotations: { "aisre.io/rerun-of": "Job/import" },
      },
      spec: {
        backoffLimit: 2,
        template: {
          metadata: { labels: { team: "data" } },
          spec: { restartPolicy: "Never", containers: [] },
        },
      },
    });
    expect(job.spec?.selector).toBeDefined();
  });

  it("instantiates a CronJob's jobTemplate as kubectl create job --from does", () => {
    const job = jobFromCronJob(
      {
        metadata: { name: "nightly", namespace: "batch", uid: "c1" },
        spec: {
          schedule: "0 3 * * *",
          jobTemplate: { metadata: { labels: { a: "b" } }, spec: { template: {} } },
        },
      },
      "nightly-rerun-x",
    );
    expect(job.metadata).toMatchObject({
      labels: { a: "b" },
      annotations: { "cronjob.kubernetes.io/instantiate": "manual", "aisre.io/rerun-of": "CronJob/nightly" },
      ownerReferences: [{ kind: "CronJob", name: "nightly", uid: "c1", controller: true }],
    });
  });

  it("names reruns within the 63-character job-name label limit", () => {
    const name = rerunName("x".repeat(80), Date.UTC(2025, 0, 1));
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^x+-rerun-[0-9a-z]+$/);
    expect(rerunName("a-", 0)).toBe("a-rerun-0");
  });

  it("reads a Job's outcome from its conditions", () => {
    expect(jobOutcome({ status: { conditions: [{ type: "Complete", status: "True" }] } })?.state).toBe(
      "Complete",
    );
    expect(
      jobOutcome({
        status: { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] },
      }),
    ).toEqual({
      state: "Failed",
      message: "BackoffLimitExceeded: ",
    });
    expect(jobOutcome({ status: { conditions: [{ type: "Complete", status: "False" }] } })).toBeUndefined();
    expect(jobOutcome({})).toBeUndefined();
  });
});
