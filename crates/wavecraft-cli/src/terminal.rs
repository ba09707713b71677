//! What `wavecraft start` shows in the terminal: a spinner with elapsed
//! time and the files that triggered the build, then the result — duration
//! and parameter diff, or the first errors rendered as cargo renders them.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use wavecraft_dev_server::DevEvent;
use wavecraft_protocol::DiagnosticLevel;

/// How many errors a failed build prints in full.
const ERRORS_SHOWN: usize = 3;

/// Renders dev-server events; holds the spinner of the running build.
#[derive(Default)]
pub struct Terminal {
    spinner: Option<ProgressBar>,
}

fn files_label(files: &[String]) -> String {
    match files {
        [] => "first build".to_owned(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} and {} more", rest.len()),
    }
}

impl Terminal {
    /// Shows one event.
    pub fn show(&mut self, event: &DevEvent) {
        match event {
            DevEvent::BuildStarted { files } => {
                let spinner = ProgressBar::new_spinner();
                spinner.set_style(
                    ProgressStyle::with_template(
                        "{spinner} building ({prefix}) {elapsed} {wide_msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                spinner.set_prefix(files_label(files));
                spinner.enable_steady_tick(Duration::from_millis(100));
                if let Some(old) = self.spinner.replace(spinner) {
                    old.finish_and_clear();
                }
            }
            DevEvent::BuildProgress(line) => {
                if let Some(spinner) = &self.spinner {
                    spinner.set_message(line.clone());
                }
            }
            DevEvent::BuildSuperseded => {
                if let Some(spinner) = self.spinner.take() {
                    spinner.finish_and_clear();
                }
                eprintln!("  ↻ newer changes: restarting the build");
            }
            DevEvent::EngineSwapped {
                duration_ms,
                diff,
                warnings,
                engine,
                note,
            } => {
                self.clear();
                let warn = if warnings.is_empty() {
                    String::new()
                } else {
                    format!(", {} warning(s)", warnings.len())
                };
                eprintln!(
                    "✓ {engine} running after {duration_ms} ms: +{} new / −{} removed / ~{} changed range{warn}",
                    diff.added.len(),
                    diff.removed.len(),
                    diff.changed.len()
                );
                if let Some(note) = note {
                    eprintln!("  note: {note}");
                }
            }
            DevEvent::AudioStatus(status) => {
                self.clear();
                match &status.message {
                    Some(message) => eprintln!(
                        "♪ audio {:?} ({:?}): {message}",
                        status.state, status.backend
                    ),
                    None => eprintln!("♪ audio {:?} ({:?})", status.state, status.backend),
                }
            }
            DevEvent::EngineCrashed(crash) => {
                self.clear();
                let engine = match (&crash.engine, crash.build) {
                    (Some(engine), Some(build)) => format!(" running {engine} (build {build})"),
                    _ => String::new(),
                };
                eprintln!(
                    "✗ engine host crashed{engine} while {}: {}",
                    crash.stage, crash.cause
                );
                if let Some(line) = &crash.last_output {
                    eprintln!("  its last words: {line}");
                }
                eprintln!("  {}", crash.recovery);
            }
            DevEvent::BuildFailed {
                duration_ms,
                diagnostics,
            } => {
                self.clear();
                let errors: Vec<_> = diagnostics
                    .iter()
                    .filter(|d| d.level == DiagnosticLevel::Error)
                    .collect();
                eprintln!(
                    "✗ build failed after {duration_ms} ms ({} error(s)); the previous engine keeps running",
                    errors.len()
                );
                for d in errors.iter().take(ERRORS_SHOWN) {
                    match &d.rendered {
                        Some(rendered) => eprintln!("{}", rendered.trim_end()),
                        None => eprintln!("error: {}", d.message),
                    }
                }
                if errors.len() > ERRORS_SHOWN {
                    eprintln!("… and {} more", errors.len() - ERRORS_SHOWN);
                }
            }
        }
    }

    fn clear(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }
}
