//! The project template: `{{name}}` placeholders rendered with a project's
//! values, over every file of a template directory. `wavecraft create` writes
//! what this renders; the drift test renders the example plugin with it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Entries of the template never copied (installed or built output, lockfiles).
const SKIPPED: &[&str] = &[
    "node_modules",
    "dist",
    "target",
    "package-lock.json",
    "Cargo.lock",
];

/// Why a template directory could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A file's placeholders are broken.
    #[error("template file {}: {source}", file.display())]
    Render {
        /// The template file.
        file: PathBuf,
        /// What is wrong.
        source: RenderError,
    },
    /// Reading the template failed.
    #[error("reading {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TemplateError + '_ {
    move |source| TemplateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Why a template text could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// `{{name}}` with no value.
    #[error("unknown placeholder {{{{{0}}}}}")]
    Unknown(String),
    /// `{{` with no closing `}}`.
    #[error("unclosed placeholder at byte {0}")]
    Unclosed(usize),
}

/// Replaces every `{{name}}` in `text` with `values[name]`; an unknown name is
/// an error, never left in place.
pub fn render(text: &str, values: &BTreeMap<&str, String>) -> Result<String, RenderError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or(RenderError::Unclosed(text.len() - rest.len() + start))?;
        let name = &after[..end];
        let value = values
            .get(name)
            .ok_or_else(|| RenderError::Unknown(name.to_owned()))?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Every file of `template_dir` rendered: (relative path, text), sorted by path.
/// Installed or built output and lockfiles are skipped.
pub fn render_tree(
    template_dir: &Path,
    values: &BTreeMap<&str, String>,
) -> Result<Vec<(PathBuf, String)>, TemplateError> {
    let mut files = Vec::new();
    for relative in list_files(template_dir)? {
        let path = template_dir.join(&relative);
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let rendered = render(&text, values).map_err(|source| TemplateError::Render {
            file: path.clone(),
            source,
        })?;
        files.push((relative, rendered));
    }
    Ok(files)
}

/// Every file under `dir`, relative, sorted, minus installed/built output and lockfiles.
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>, TemplateError> {
    fn walk(root: &Path, at: &Path, out: &mut Vec<PathBuf>) -> Result<(), TemplateError> {
        for entry in std::fs::read_dir(at).map_err(io(at))? {
            let entry = entry.map_err(io(at))?;
            let name = entry.file_name();
            if SKIPPED.iter().any(|s| name == *s) {
                continue;
            }
            let path = entry.path();
            if entry.file_type().map_err(io(&path))?.is_dir() {
                walk(root, &path, out)?;
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_replaces_known_placeholders_and_refuses_unknown_ones() {
        let values = BTreeMap::from([("a", "x".to_owned()), ("b", String::new())]);
        assert_eq!(render("{{a}}-{{b}}-{{a}}", &values).unwrap(), "x--x");
        assert_eq!(
            render("{{c}}", &values),
            Err(RenderError::Unknown("c".to_owned()))
        );
        assert_eq!(render("ok {{a", &values), Err(RenderError::Unclosed(3)));
    }
}
