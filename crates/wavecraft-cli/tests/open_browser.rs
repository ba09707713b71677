//! `start` opens the UI through the `opener` crate, which honours `$BROWSER`: a script
//! standing in for the browser records the URL it was given. Its own test binary, because
//! it sets environment variables, which no other thread may read meanwhile.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use wavecraft_cli::start::open_browser;

#[test]
fn the_ui_url_goes_to_the_browser_named_by_browser() {
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen");
    let browser = dir.path().join("browser");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf '%s' \"$1\" > '{}.tmp' && mv '{0}.tmp' '{0}'\n",
            seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    // This binary's only test: no other thread reads the environment meanwhile.
    std::env::set_var("BROWSER", &browser);
    std::env::set_var("DISPLAY", ":0");
    open_browser("http://127.0.0.1:5173/");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !seen.exists() {
        assert!(Instant::now() < deadline, "the browser was never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap(),
        "http://127.0.0.1:5173/"
    );
}
