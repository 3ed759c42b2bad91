import { describe, expect, it } from "vitest";
import { MIN_CPU_CORES, rightSize } from "./right-size.ts";

describe("rightSize", () => {
  it("puts the CPU request at the 95th percentile, no CPU limit, memory at the peak plus 15 %", () => {
    const cpu = Array.from({ length: 100 }, (_, i) => (i + 1) / 100); // 0.01 … 1.00 cores
    const mem = [100, 300, 200].map((m) => m * 2 ** 20);
    const r = rightSize(cpu, mem);
    expect(r.cpuRequestCores).toBeCloseTo(0.95, 2);
    expect(r.cpuLimitCores).toBeNull();
    expect(r.memoryRequestBytes).toBe(Math.ceil(300 * 2 ** 20 * 1.15));
    expect(r.memoryLimitBytes).toBe(r.memoryRequestBytes);
    expect(r.basis).toEqual({ cpuSamples: 100, memorySamples: 3 });
  });

  it("keeps a floor for idle workloads and says nothing without samples", () => {
    expect(rightSize([0, 0, 0.001], []).cpuRequestCores).toBe(MIN_CPU_CORES);
    const none = rightSize([Number.NaN], []);
    expect(none.cpuRequestCores).toBeNull();
    expect(none.memoryRequestBytes).toBeNull();
  });
});
