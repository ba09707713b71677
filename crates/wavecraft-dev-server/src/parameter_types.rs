//! `ui/src/generated/parameters.ts`: the author's parameters as TypeScript,
//! so the UI's own code is checked against the engine it talks to. It
//! exports `ParameterId` (the union of ids), `ParameterVariants` (each enum's
//! variant names as a union), `parameters` (what the engine declares for
//! each, minus the current value) and a `useParameter` that takes only those
//! ids: `useParameter("cutof")` is a type error.
//!
//! [`generate`] is a pure function of the engine's parameter list;
//! [`update_project`] writes its text into a project, only when the bytes
//! differ (an unchanged file keeps its mtime, so Vite reloads nothing) and
//! atomically (a temp file in the same folder, renamed over the old one, so
//! Vite and tsc never read half a file). The session calls it after every
//! good build, `wavecraft bundle` after its build. A project without `ui/`
//! gets no file. This module never runs a build or loads an engine.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use wavecraft_protocol::parameter::is_valid_id;
use wavecraft_protocol::{ParameterInfo, ParameterKind};

/// Where the file lives, relative to the project directory.
pub const OUTPUT_PATH: &str = "ui/src/generated/parameters.ts";

/// What [`update_project`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// The project has no `ui/` folder: nothing written.
    NoUi,
    /// The file already held this text: not touched.
    Unchanged(PathBuf),
    /// The file was written (it was missing or different).
    Written(PathBuf),
}

/// Why the file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("could not write {}: {source}", path.display())]
pub struct WriteError {
    /// The file (or its folder) being written.
    pub path: PathBuf,
    /// The OS error.
    pub source: std::io::Error,
}

const HEADER: &str = "\
/**
 * This plugin's parameters, generated from its engine by `wavecraft start`
 * (after every good build) and `wavecraft bundle`. Do not edit: it is
 * rewritten. Import `useParameter` and the types from here, and tsc checks
 * every parameter id and enum variant you name.
 */
import { useParameter as useAnyParameter } from \"@wavecraft/core\";
import type { SingleParameter } from \"@wavecraft/core\";
";

/// `text` as a TypeScript string literal (JSON's escaping is valid TypeScript).
fn string_literal(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// An object key: the bare id when it is a valid (snake_case) id, quoted otherwise.
fn key(id: &str) -> String {
    if is_valid_id(id) {
        id.to_owned()
    } else {
        string_literal(id)
    }
}

/// A TypeScript number literal: the shortest text that reads back as `value`.
fn number(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

fn kind_name(kind: ParameterKind) -> &'static str {
    match kind {
        ParameterKind::Float => "float",
        ParameterKind::Int => "int",
        ParameterKind::Bool => "bool",
        ParameterKind::Enum => "enum",
    }
}

/// `a | b | c` of string literals; `never` for none.
fn union<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let members: Vec<String> = names.map(string_literal).collect();
    if members.is_empty() {
        "never".to_owned()
    } else {
        members.join(" | ")
    }
}

/// The text of `parameters.ts` for these parameters, in their order.
pub fn generate(parameters: &[ParameterInfo]) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\n/** Every parameter id the engine declares. */\nexport type ParameterId =");
    if parameters.is_empty() {
        out.push_str(" never");
    }
    for p in parameters {
        let _ = write!(out, "\n  | {}", string_literal(&p.id));
    }
    out.push_str(";\n\n/** Each enum parameter's variant names (its value is the variant's index). */\nexport type ParameterVariants = ");
    let enums: Vec<&ParameterInfo> = parameters
        .iter()
        .filter(|p| p.kind == ParameterKind::Enum)
        .collect();
    if enums.is_empty() {
        out.push_str("Record<never, never>;\n");
    } else {
        out.push_str("{\n");
        for p in enums {
            let variants = union(p.variants.iter().map(String::as_str));
            let _ = writeln!(out, "  {}: {variants};", key(&p.id));
        }
        out.push_str("};\n");
    }
    out.push_str(
        "\n/**\n * What the engine declares for each parameter (its current value aside). Values are\n * plain: dB are dB, Hz are Hz, an enum's value is its variant's index, a bool's 0 or 1.\n */\nexport const parameters = {",
    );
    for p in parameters {
        let variants: Vec<String> = p.variants.iter().map(|v| string_literal(v)).collect();
        let _ = write!(
            out,
            "\n  {}: {{ name: {}, kind: \"{}\", min: {}, max: {}, default: {}, unit: {}, group: {}, step: {}, skew: {}, variants: [{}] }},",
            key(&p.id),
            string_literal(&p.name),
            kind_name(p.kind),
            number(p.min),
            number(p.max),
            number(p.default),
            string_literal(&p.unit),
            string_literal(&p.group),
            p.step.map_or_else(|| "null".to_owned(), number),
            number(p.skew),
            variants.join(", "),
        );
    }
    if !parameters.is_empty() {
        out.push('\n');
    }
    out.push_str(
        "} as const;\n\n/** One parameter by id: `@wavecraft/core`'s `useParameter`, refusing ids the engine does not declare. */\nexport const useParameter: (id: ParameterId) => SingleParameter = useAnyParameter;\n",
    );
    out
}

/// Writes `text` to `path` unless the file already holds exactly these bytes: through a temp
/// file in the same folder, renamed over `path`, so a reader sees the old file or the new one.
/// Returns whether it wrote. Creates the folder when missing.
pub fn write_if_changed(path: &Path, text: &str) -> Result<bool, WriteError> {
    let failed = |at: &Path| {
        let at = at.to_path_buf();
        move |source| WriteError { path: at, source }
    };
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(failed(dir))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".parameters-").suffix(".tmp");
    // A temp file is private (0600) by default; this one becomes a source file, made like any
    // other (0666 less the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir).map_err(failed(dir))?;
    temp.write_all(text.as_bytes())
        .map_err(failed(temp.path()))?;
    temp.persist(path).map_err(|e| WriteError {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(true)
}

/// True when the project has a `ui/` folder, the only case that gets the file.
pub fn has_ui(project: &Path) -> bool {
    project.join("ui").is_dir()
}

/// Writes `<project>/ui/src/generated/parameters.ts` for `parameters` when the project has a
/// `ui/` folder and the file's text changed.
pub fn update_project(project: &Path, parameters: &[ParameterInfo]) -> Result<Update, WriteError> {
    if !has_ui(project) {
        return Ok(Update::NoUi);
    }
    let path = project.join(OUTPUT_PATH);
    if write_if_changed(&path, &generate(parameters))? {
        Ok(Update::Written(path))
    } else {
        Ok(Update::Unchanged(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(id: &str, name: &str, kind: ParameterKind, min: f64, max: f64) -> ParameterInfo {
        ParameterInfo::new(id, name, kind, min, max)
    }

    fn every_kind() -> Vec<ParameterInfo> {
        let mut gain = param("gain", "Gain", ParameterKind::Float, -60.0, 12.0);
        gain.unit = "dB".into();
        gain.group = "Output".into();
        gain.default = 0.0;
        gain.value = -6.5;
        let mut cutoff = param("cutoff", "Cutoff", ParameterKind::Float, 20.0, 20_000.0);
        cutoff.skew = 0.25;
        cutoff.default = 1_000.0;
        cutoff.step = Some(0.5);
        let mut voices = param("voices", "Voices", ParameterKind::Int, 1.0, 16.0);
        voices.step = Some(1.0);
        let mut bypass = param("bypass", "Bypass", ParameterKind::Bool, 0.0, 1.0);
        bypass.step = Some(1.0);
        let mut mode = param("filter_mode", "Mode", ParameterKind::Enum, 0.0, 2.0);
        mode.step = Some(1.0);
        mode.variants = vec!["Low-pass".into(), "High-pass".into(), "Band-pass".into()];
        vec![gain, cutoff, voices, bypass, mode]
    }

    #[test]
    fn every_kind_as_exact_text() {
        let expected = format!(
            "{HEADER}{}",
            r#"
/** Every parameter id the engine declares. */
export type ParameterId =
  | "gain"
  | "cutoff"
  | "voices"
  | "bypass"
  | "filter_mode";

/** Each enum parameter's variant names (its value is the variant's index). */
export type ParameterVariants = {
  filter_mode: "Low-pass" | "High-pass" | "Band-pass";
};

/**
 * What the engine declares for each parameter (its current value aside). Values are
 * plain: dB are dB, Hz are Hz, an enum's value is its variant's index, a bool's 0 or 1.
 */
export const parameters = {
  gain: { name: "Gain", kind: "float", min: -60, max: 12, default: 0, unit: "dB", group: "Output", step: null, skew: 1, variants: [] },
  cutoff: { name: "Cutoff", kind: "float", min: 20, max: 20000, default: 1000, unit: "", group: "", step: 0.5, skew: 0.25, variants: [] },
  voices: { name: "Voices", kind: "int", min: 1, max: 16, default: 1, unit: "", group: "", step: 1, skew: 1, variants: [] },
  bypass: { name: "Bypass", kind: "bool", min: 0, max: 1, default: 0, unit: "", group: "", step: 1, skew: 1, variants: [] },
  filter_mode: { name: "Mode", kind: "enum", min: 0, max: 2, default: 0, unit: "", group: "", step: 1, skew: 1, variants: ["Low-pass", "High-pass", "Band-pass"] },
} as const;

/** One parameter by id: `@wavecraft/core`'s `useParameter`, refusing ids the engine does not declare. */
export const useParameter: (id: ParameterId) => SingleParameter = useAnyParameter;
"#
        );
        assert_eq!(generate(&every_kind()), expected);
    }

    #[test]
    fn no_parameters_give_empty_types_that_still_compile() {
        let text = generate(&[]);
        assert!(
            text.contains("export type ParameterId = never;\n"),
            "{text}"
        );
        assert!(
            text.contains("export type ParameterVariants = Record<never, never>;\n"),
            "{text}"
        );
        assert!(
            text.contains("export const parameters = {} as const;\n"),
            "{text}"
        );
    }

    #[test]
    fn text_is_escaped_and_odd_numbers_stay_valid_typescript() {
        let mut odd = param("Not An Id", "Say \"hi\"\n\\", ParameterKind::Enum, 0.0, 1.0);
        odd.variants = vec!["a\"b".into(), "c\u{2028}d".into()];
        odd.default = 1e-7;
        odd.skew = f64::INFINITY;
        odd.max = f64::NAN;
        odd.min = -0.5;
        let text = generate(&[odd]);
        assert!(text.contains(r#"  | "Not An Id";"#), "{text}");
        assert!(
            text.contains(r#"  "Not An Id": "a\"b" | "c"#),
            "variant union: {text}"
        );
        assert!(
            text.contains(r#"  "Not An Id": { name: "Say \"hi\"\n\\", kind: "enum", min: -0.5, max: NaN, default: 0.0000001, "#),
            "{text}"
        );
        assert!(text.contains("skew: Infinity,"), "{text}");
        assert_eq!(number(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn writes_only_when_the_text_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("src/generated/parameters.ts");
        assert!(
            write_if_changed(&path, "one").unwrap(),
            "a missing file is written"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        let before = std::fs::metadata(&path).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(
            !write_if_changed(&path, "one").unwrap(),
            "same bytes: not written"
        );
        let after = std::fs::metadata(&path).unwrap();
        assert_eq!(after.modified().unwrap(), before.modified().unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(after.ino(), before.ino(), "not replaced either");
        }
        assert!(write_if_changed(&path, "two").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let plain = path.with_file_name("plain.ts");
        std::fs::write(&plain, "made the usual way").unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions(),
            std::fs::metadata(&plain).unwrap().permissions(),
            "the same permissions as any new file, not a temp file's"
        );
        std::fs::remove_file(&plain).unwrap();
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["parameters.ts"], "no temp file left behind");
    }

    #[test]
    fn a_project_without_ui_gets_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let params = every_kind();
        assert_eq!(update_project(dir.path(), &params).unwrap(), Update::NoUi);
        assert!(!dir.path().join("ui").exists());
        std::fs::create_dir(dir.path().join("ui")).unwrap();
        let path = dir.path().join(OUTPUT_PATH);
        assert_eq!(
            update_project(dir.path(), &params).unwrap(),
            Update::Written(path.clone())
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), generate(&params));
        assert_eq!(
            update_project(dir.path(), &params).unwrap(),
            Update::Unchanged(path)
        );
    }
}
