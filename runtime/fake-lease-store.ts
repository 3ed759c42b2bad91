import { ApiException, type V1Lease } from "@kubernetes/client-node";
import type { LeaseClient } from "./leader-election.ts";

/**
 * One Lease in memory with the API server's resourceVersion checks, for tests of leader
 * election; clientFor() can simulate an unreachable (down) or hanging API server per client.
 */
export class FakeLeaseStore {
  lease: V1Lease | undefined;
  rv = 0;
  /** Returns a LeaseClient on this store. */
  clientFor(opts: { down?: () => boolean; hang?: () => boolean } = {}): LeaseClient {
    const gate = async (): Promise<void> => {
      if (opts.hang?.()) await new Promise(() => {});
      if (opts.down?.()) throw new Error("connection refused");
    };
    return {
      get: async () => {
        await gate();
        return this.lease && structuredClone(this.lease);
      },
      create: async (l) => {
        await gate();
        if (this.lease) throw new ApiException(409, "AlreadyExists", {}, {});
        return this.commit(l);
      },
      update: async (l) => {
        await gate();
        if (l.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) {
          throw new ApiException(409, "Conflict", {}, {});
        }
        return this.commit(l);
      },
    };
  }
  private commit(l: V1Lease): V1Lease {
    // Round-trip through JSON like the wire (MicroTime becomes a string).
    this.lease = JSON.parse(
      JSON.stringify({ ...l, metadata: { ...l.metadata, resourceVersion: String(++this.rv) } }),
    );
    return structuredClone(this.lease as V1Lease);
  }
}
