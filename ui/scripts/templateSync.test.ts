/**
 * template/ui and examples/example-plugin/ui must not drift: the example is
 * the template rendered with the example's values, file by file. It runs with
 * the UI checks (`npm test` in ui/); `cargo test -p wavecraft-cli --test
 * create` checks the whole template (engine too) with the CLI's own renderer.
 * Installed and built output (node_modules, dist) and the example's lockfile
 * are not compared: the template has no lockfile, and a created project gets
 * one when its first `wavecraft start` runs `npm install`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");
const templateDir = join(repo, "template/ui");
const exampleDir = join(repo, "examples/example-plugin/ui");

/** The values that turn the template into the example. */
const exampleValues: Record<string, string> = {
  plugin_name: "Wavecraft Example",
  package_name: "example-plugin",
  sdk_ui_path: "../../../ui/packages",
};

const skipped = new Set(["node_modules", "dist", "package-lock.json"]);
const placeholder = /\{\{(\w+)\}\}/g;

/** Every file under `dir` (relative, `/`-separated, sorted), minus the skipped names. */
function listFiles(dir: string): string[] {
  const walk = (at: string): string[] =>
    readdirSync(at, { withFileTypes: true })
      .filter((entry) => !skipped.has(entry.name))
      .flatMap((entry) =>
        entry.isDirectory() ? walk(join(at, entry.name)) : [relative(dir, join(at, entry.name))],
      );
  return walk(dir)
    .map((file) => file.split("\\").join("/"))
    .sort();
}

/** Replaces each `{{name}}`; an unknown name is an error, not left in place. */
function render(text: string, values: Record<string, string>): string {
  return text.replace(placeholder, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`unknown placeholder {{${name}}}`);
    return value;
  });
}

const templateFiles = listFiles(templateDir);

describe("template/ui", () => {
  it("has no lockfile (the first `wavecraft start` runs npm install)", () => {
    expect(existsSync(join(templateDir, "package-lock.json"))).toBe(false);
  });

  it("uses every placeholder, and only known ones", () => {
    const used = new Set(
      templateFiles.flatMap((file) =>
        [...readFileSync(join(templateDir, file), "utf8").matchAll(placeholder)].map((m) => m[1]),
      ),
    );
    expect([...used].sort()).toEqual(Object.keys(exampleValues).sort());
  });

  it("has the same files as the example UI", () => {
    expect(templateFiles).toEqual(listFiles(exampleDir));
  });

  it.each(templateFiles)("%s renders to the example's copy", (file) => {
    const rendered = render(readFileSync(join(templateDir, file), "utf8"), exampleValues);
    expect(rendered).toBe(readFileSync(join(exampleDir, file), "utf8"));
  });
});
