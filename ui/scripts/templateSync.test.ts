/**
 * template/ui and examples/example-plugin/ui must not drift: the example's UI
 * is the template's UI rendered with the example's values, file by file. This
 * is the quick, UI-only copy of the check, run by `npm test` in ui/; the one
 * that decides is `cargo test -p wavecraft-cli --test create`
 * (`the_example_plugin_is_the_template_rendered`), which renders the whole
 * template, engine too, with `wavecraft create`'s own renderer
 * (`crates/wavecraft-cli/src/template.rs`). `render` below follows that
 * renderer's rule: every `{{…}}` must name a known placeholder and every `{{`
 * must close, or rendering fails.
 *
 * Not compared: `node_modules` and `dist` (installed and built output, never
 * in the template) and `package-lock.json`. The template has no lockfile (so
 * `wavecraft create` writes none); `wavecraft start` runs `npm install` in a
 * project whose `ui/node_modules` is missing, which writes one. The example
 * commits its own lockfile so its `npm ci` is reproducible.
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
/** `{{`, then anything up to the first `}}`: the name, as the CLI's renderer reads it. */
const placeholder = /\{\{([\s\S]*?)\}\}/g;

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

/** Replaces each `{{name}}`; an unknown name or an unclosed `{{` is an error, never left in place. */
function render(text: string, values: Record<string, string>): string {
  const rendered = text.replace(placeholder, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`unknown placeholder {{${name}}}`);
    return value;
  });
  // A `{{` left after every closed placeholder was replaced has no `}}`.
  const rest = text.replace(placeholder, "");
  const unclosed = rest.indexOf("{{");
  if (unclosed >= 0) throw new Error(`unclosed placeholder: ${rest.slice(unclosed, unclosed + 40)}`);
  return rendered;
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

  it("refuses what the CLI's renderer refuses", () => {
    expect(() => render("a {{ plugin_name }} b", exampleValues)).toThrow("unknown placeholder {{ plugin_name }}");
    expect(() => render("a {{plugin_name b", exampleValues)).toThrow("unclosed placeholder");
    expect(render("{{plugin_name}}: {{package_name}}", exampleValues)).toBe("Wavecraft Example: example-plugin");
  });

  it.each(templateFiles)("%s renders to the example's copy", (file) => {
    const rendered = render(readFileSync(join(templateDir, file), "utf8"), exampleValues);
    expect(rendered).toBe(readFileSync(join(exampleDir, file), "utf8"));
  });
});
