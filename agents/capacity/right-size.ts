/**
 * Right-sizing from usage history, the way KRR's simple strategy does it: CPU request at the
 * 95th percentile of usage and no CPU limit (throttling hurts more than it saves); memory
 * request and limit at the peak plus 15 % (memory is not compressible: a limit below the peak
 * is an OOM kill).
 */
import { quantile } from "./series.ts";

/** Recommended requests and limits; null when there is no usage to go on. */
export interface RightSize {
  cpuRequestCores: number | null;
  cpuLimitCores: null;
  memoryRequestBytes: number | null;
  memoryLimitBytes: number | null;
  /** Samples each figure rests on. */
  basis: { cpuSamples: number; memorySamples: number };
}

/** The buffer above the memory peak. */
export const MEMORY_BUFFER = 0.15;
/** The smallest CPU request recommended (10m), so an idle workload is still scheduled sensibly. */
export const MIN_CPU_CORES = 0.01;

/** Requests and limits from CPU (cores) and memory (bytes) usage samples. */
export function rightSize(cpuCores: readonly number[], memoryBytes: readonly number[]): RightSize {
  const cpu = cpuCores.filter(Number.isFinite);
  const mem = memoryBytes.filter(Number.isFinite);
  const peak = mem.length ? Math.max(...mem) : null;
  const memory = peak === null ? null : Math.ceil(peak * (1 + MEMORY_BUFFER));
  return {
    cpuRequestCores: cpu.length ? Math.max(MIN_CPU_CORES, round3(quantile(cpu, 0.95))) : null,
    cpuLimitCores: null,
    memoryRequestBytes: memory,
    memoryLimitBytes: memory,
    basis: { cpuSamples: cpu.length, memorySamples: mem.length },
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
