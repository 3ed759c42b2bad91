/**
 * Runs an Argo CD health script under a real Lua 5.1 interpreter the way Argo CD does
 * (argo-cd util/lua on gopher-lua): the object is the global `obj`, the script body returns a
 * table with status and message. The environment holds only what Argo CD's VM opens for health
 * scripts (the base and table libraries; no string, math, io or os functions), so a script that
 * reaches for them fails here as it would there.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The Lua 5.1 interpreter: $LUA, else Debian's lua5.1. */
export const LUA = process.env.LUA ?? "/usr/bin/lua5.1";

/** True when the interpreter can run. */
export function luaAvailable(): boolean {
  return existsSync(LUA) || spawnSync(LUA, ["-v"]).status === 0;
}

/** A Lua string literal: every byte outside printable ASCII as a decimal escape, so any text round-trips. */
function luaString(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += byte >= 0x20 && byte < 0x7f && ch !== '"' && ch !== "\\" ? ch : `\\${byte}`;
  }
  return `${out}"`;
}

/** A JSON-like value as a Lua table constructor: arrays 1-based (ipairs), null fields left out as Argo CD's nil. */
export function toLua(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return luaString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot pass ${value} to Lua`);
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return luaString(value.toISOString());
  if (Array.isArray(value)) return `{${value.map(toLua).join(", ")}}`;
  if (typeof value === "object") {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `[${luaString(k)}] = ${toLua(v)}`);
    return `{${fields.join(", ")}}`;
  }
  throw new Error(`cannot pass a ${typeof value} to Lua`);
}

/** What a health script returned. */
export interface HealthStatus {
  status: string;
  message: string;
}

/** The wrapper: builds obj, loads the script into a sandbox like Argo CD's, prints status then message. */
function wrapper(scriptPath: string, obj: unknown): string {
  return `
local sandbox = {
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
  select = select, tonumber = tonumber, tostring = tostring, type = type, unpack = unpack,
  table = table,
}
sandbox.obj = ${toLua(obj)}
local chunk, err = loadfile(${luaString(scriptPath)})
if chunk == nil then error(err) end
setfenv(chunk, sandbox)
local hs = chunk()
if type(hs) ~= "table" then error("the script returned " .. type(hs) .. ", not a table") end
io.write(tostring(hs.status), "\\n", tostring(hs.message))
`;
}

/** Runs one health script on one object; throws with Lua's error text when the script fails. */
export function runHealth(scriptPath: string, obj: unknown): HealthStatus {
  const r = spawnSync(LUA, ["-"], { input: wrapper(scriptPath, obj), encoding: "utf8", timeout: 30_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`lua5.1 failed (${r.status}): ${r.stderr.trim()}`);
  const newline = r.stdout.indexOf("\n");
  return { status: r.stdout.slice(0, newline), message: r.stdout.slice(newline + 1) };
}
