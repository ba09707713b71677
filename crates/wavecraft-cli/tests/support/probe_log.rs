//! A probed plugin window's page as a test host reads it from the probe log
//! the VST3 view writes (`WAVECRAFT_WINDOW_PROBE_LOG`): the JSON-RPC messages
//! the page posted and its newest probe report (its text and sliders).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Instant;

use serde_json::Value;

/// What the probed page posted, read from the plugin's probe log as it grows.
pub struct Page {
    reader: BufReader<std::fs::File>,
    partial: String,
    /// Every JSON-RPC message of the page, with when this test read it.
    pub calls: Vec<(Instant, Value)>,
    /// The newest probe report.
    pub probe: Option<Value>,
    /// How many probe reports arrived.
    pub reports: usize,
}

impl Page {
    pub fn new(log: &Path) -> Self {
        Page {
            reader: BufReader::new(std::fs::File::open(log).unwrap()),
            partial: String::new(),
            calls: Vec::new(),
            probe: None,
            reports: 0,
        }
    }

    /// Reads the lines appended since the last call.
    pub fn poll(&mut self) {
        loop {
            let read = self.reader.read_line(&mut self.partial).unwrap();
            if read == 0 || !self.partial.ends_with('\n') {
                return;
            }
            let line = std::mem::take(&mut self.partial);
            let line = line.trim_end();
            if let Some(report) = line.strip_prefix("wavecraft-probe:") {
                // Stage and loop lines are not reports.
                if let Ok(report) = serde_json::from_str(report) {
                    self.probe = Some(report);
                    self.reports += 1;
                }
            } else if let Ok(call) = serde_json::from_str(line) {
                self.calls.push((Instant::now(), call));
            }
        }
    }

    /// When the page first called `method` at or after call number `from`.
    pub fn called_since(&self, from: usize, method: &str) -> Option<Instant> {
        self.calls[from..]
            .iter()
            .find(|(_, call)| call["method"] == method)
            .map(|(at, _)| *at)
    }

    /// The slider labelled `label` in the newest probe: (centre x, centre y, width, value text).
    pub fn slider(&self, label: &str) -> Option<(f64, f64, f64, String)> {
        super::page_report::slider(self.probe.as_ref()?, label)
    }

    /// The page's viewport (CSS pixels) in the newest probe.
    pub fn viewport(&self) -> Option<(u64, u64)> {
        super::page_report::viewport(self.probe.as_ref()?)
    }
}
