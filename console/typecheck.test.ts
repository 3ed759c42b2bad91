/** The console typechecks on its own tsconfig (browser libs, JSX), which the root typecheck does not cover. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

it("typechecks console/ with console/tsconfig.json", () => {
  let output = "";
  try {
    execFileSync("npx", ["tsc", "--noEmit", "-p", join(import.meta.dirname, "tsconfig.json")], {
      cwd: join(import.meta.dirname, ".."),
      encoding: "utf8",
    });
  } catch (err) {
    output = String((err as { stdout?: string }).stdout ?? err);
  }
  expect(output).toBe("");
});
