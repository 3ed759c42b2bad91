// The process entry of `kubectl aisre` (bin/kubectl-aisre.mjs imports this module).
import { pluginMain } from "./plugin.ts";

process.exitCode = await pluginMain(process.argv.slice(2));
