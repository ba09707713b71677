//! Prints the dev build's cargo arguments (`BuildSpec::cargo_args`) for an
//! engine manifest and a target directory, NUL-separated, so a script can run
//! exactly the command `wavecraft start` runs (scripts/measure-rebuild.sh).
//!
//! Run: `cargo run -q -p wavecraft-dev-server --example dev_build_args -- MANIFEST TARGET_DIR`

use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use wavecraft_dev_server::cargo_build::BuildSpec;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let (Some(manifest_path), Some(target_dir)) = (args.next(), args.next()) else {
        eprintln!("usage: dev_build_args MANIFEST TARGET_DIR");
        std::process::exit(2);
    };
    let spec = BuildSpec {
        manifest_path: PathBuf::from(manifest_path),
        target_dir: PathBuf::from(target_dir),
    };
    let mut out = std::io::stdout().lock();
    for arg in spec.cargo_args() {
        out.write_all(arg.as_bytes()).expect("stdout");
        out.write_all(b"\0").expect("stdout");
    }
}
