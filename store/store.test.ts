import { migrate } from "./migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "./pglite.ts";
import { storeContract } from "./testing/contract.ts";

// The whole contract on embedded PGlite in memory: what the demo runs without a server.
storeContract("PGlite in memory", async () => {
  const db = await openPglite(MEMORY_DATA_DIR);
  await migrate(db);
  return db;
});
