//! The author's UI as files embedded in the plugin binary at bundle time.
//!
//! `wavecraft bundle` runs the UI's production build and compiles its output
//! into the library; the plugin window serves these files to its webview
//! through a custom protocol (no server, no file path at run time). A dev
//! build, or a project without a UI, embeds nothing: [`Export::ui_asset`]
//! then answers `None` for every path and the host shows its generic UI.
//!
//! [`Export::ui_asset`]: crate::__private::Export::ui_asset

use std::borrow::Cow;

/// One embedded file of the author's UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiAsset {
    /// The file's bytes.
    pub bytes: Cow<'static, [u8]>,
    /// Its MIME type, e.g. `text/html` or `application/javascript`.
    pub mime: Cow<'static, str>,
}
