//! The custom protocol that serves the author's embedded UI to the webview:
//! a path in, the file's bytes out with its MIME type and a Content Security
//! Policy that lets the page load from this origin only (no network, no
//! other scheme). No TCP server and no file path exist at run time.

use std::borrow::Cow;

use wry::http::{header, Method, Request, Response, StatusCode};

use crate::UiAsset;

/// The custom scheme's name.
pub const SCHEME: &str = "wavecraft";

/// Where the page lives: wry maps a custom scheme to `<scheme>://` on WebKit and
/// to `http://<scheme>.` on WebView2.
#[cfg(not(target_os = "windows"))]
pub const ORIGIN: &str = "wavecraft://localhost";
/// Where the page lives: wry maps a custom scheme to `<scheme>://` on WebKit and
/// to `http://<scheme>.` on WebView2.
#[cfg(target_os = "windows")]
pub const ORIGIN: &str = "http://wavecraft.localhost";

/// Looks up one embedded file by its path in the UI's build output (`index.html`).
pub type AssetSource = fn(&str) -> Option<UiAsset>;

/// The policy every response carries: scripts, styles, images, fonts and requests from
/// [`ORIGIN`] only (inline styles allowed, as React and CSS-in-JS set them), no plugins,
/// no frames, no `<base>`.
fn content_security_policy() -> String {
    format!(
        "default-src {ORIGIN}; script-src {ORIGIN}; style-src {ORIGIN} 'unsafe-inline'; \
         img-src {ORIGIN} data:; font-src {ORIGIN} data:; connect-src {ORIGIN}; \
         object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
    )
}

/// The file a request path names: `/` is `index.html`; a query or fragment is ignored.
fn asset_path(path: &str) -> &str {
    let path = path.split(['?', '#']).next().unwrap_or("");
    match path.trim_start_matches('/') {
        "" => "index.html",
        rest => rest,
    }
}

/// The response to one request of the page: the embedded file, 404 when there is none,
/// 405 for anything but GET and HEAD.
pub fn respond(assets: AssetSource, request: &Request<Vec<u8>>) -> Response<Cow<'static, [u8]>> {
    let csp = content_security_policy();
    let reply = |status: StatusCode, mime: Cow<'static, str>, body: Cow<'static, [u8]>| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, mime.as_ref())
            .header(header::CONTENT_SECURITY_POLICY, csp.as_str())
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(header::CACHE_CONTROL, "no-store")
            .body(body)
            .unwrap_or_else(|_| Response::new(Cow::Borrowed(&[][..])))
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return reply(
            StatusCode::METHOD_NOT_ALLOWED,
            Cow::Borrowed("text/plain"),
            Cow::Borrowed(b"only GET and HEAD are served"),
        );
    }
    let path = asset_path(request.uri().path());
    match assets(path) {
        Some(UiAsset { bytes, mime }) => reply(StatusCode::OK, mime, bytes),
        None => reply(
            StatusCode::NOT_FOUND,
            Cow::Borrowed("text/plain"),
            Cow::Owned(format!("{path} is not part of this plugin's UI").into_bytes()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assets(path: &str) -> Option<UiAsset> {
        match path {
            "index.html" => Some(UiAsset {
                bytes: Cow::Borrowed(b"<!doctype html>"),
                mime: Cow::Borrowed("text/html"),
            }),
            "assets/app.js" => Some(UiAsset {
                bytes: Cow::Borrowed(b"console.log(1)"),
                mime: Cow::Borrowed("text/javascript"),
            }),
            _ => None,
        }
    }

    fn get(uri: &str) -> Response<Cow<'static, [u8]>> {
        respond(assets, &Request::get(uri).body(Vec::new()).unwrap())
    }

    #[test]
    fn serves_embedded_files_with_their_mime_and_the_policy() {
        let root = get("wavecraft://localhost/");
        assert_eq!(root.status(), StatusCode::OK);
        assert_eq!(root.headers()[header::CONTENT_TYPE], "text/html");
        assert_eq!(root.body().as_ref(), b"<!doctype html>");
        let script = get("wavecraft://localhost/assets/app.js?v=2");
        assert_eq!(script.headers()[header::CONTENT_TYPE], "text/javascript");
        let csp = script.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(csp.starts_with(&format!("default-src {ORIGIN};")), "{csp}");
        assert!(csp.contains(&format!("script-src {ORIGIN};")), "{csp}");
        assert!(!csp.contains('*') && !csp.contains("http:") && !csp.contains("https:"));
    }

    #[test]
    fn a_missing_file_is_404_and_other_methods_405() {
        let missing = get("wavecraft://localhost/nope.js");
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            missing.body().as_ref(),
            b"nope.js is not part of this plugin's UI"
        );
        let post = respond(
            assets,
            &Request::post("wavecraft://localhost/index.html")
                .body(Vec::new())
                .unwrap(),
        );
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
}
