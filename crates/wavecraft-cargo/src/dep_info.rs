//! Cargo's dep-info files: which files a build read. Cargo writes one beside
//! every artifact (`target/debug/libfoo.d`, make syntax: `target: input…`),
//! listing the sources of the crate and of its path dependencies, the files
//! `include_bytes!`/`include_str!` pulled in, and build scripts; registry
//! crates are left out. The watcher watches exactly these, so a local path
//! crate or an impulse response outside `engine/` rebuilds on save too.

use std::path::{Path, PathBuf};

/// The dep-info file cargo writes beside `library`.
pub fn dep_info_path(library: &Path) -> PathBuf {
    library.with_extension("d")
}

/// The input files listed in the dep-info file `path`.
pub fn read(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(parse(&std::fs::read_to_string(path)?))
}

/// The inputs of the first rule in `text` (make syntax: `\ ` is a space inside a path,
/// `\\` a backslash; a backslash before a line break continues the line).
pub fn parse(text: &str) -> Vec<PathBuf> {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(' ') | Some('\\') | Some('#') | Some(':') => {
                    word.extend(chars.next());
                }
                Some('\n') => {
                    chars.next();
                    words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
                }
                _ => word.push('\\'),
            },
            ' ' | '\t' => words.extend((!word.is_empty()).then(|| std::mem::take(&mut word))),
            '\n' => {
                words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
                // The first rule is the artifact's; later lines are phony rules or env notes.
                if words.iter().any(|w| w.ends_with(':')) {
                    break;
                }
            }
            _ => word.push(c),
        }
    }
    words.extend((!word.is_empty()).then_some(word));
    match words.iter().position(|w| w.ends_with(':')) {
        Some(target) => words[target + 1..].iter().map(PathBuf::from).collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_inputs_of_the_artifacts_rule() {
        let text = "/t/debug/libprobe.so: /p/engine/src/lib.rs /p/my\\ dsp/src/lib.rs \\\n /p/ir.wav\n\n/p/engine/src/lib.rs:\n";
        assert_eq!(
            parse(text),
            [
                PathBuf::from("/p/engine/src/lib.rs"),
                PathBuf::from("/p/my dsp/src/lib.rs"),
                PathBuf::from("/p/ir.wav"),
            ]
        );
    }

    #[test]
    fn nothing_listed_is_nothing() {
        assert!(parse("").is_empty());
        assert!(parse("/t/libprobe.so:\n").is_empty());
    }

    #[test]
    fn sits_beside_the_library() {
        assert_eq!(
            dep_info_path(Path::new("/t/debug/libprobe.so")),
            Path::new("/t/debug/libprobe.d")
        );
    }
}
