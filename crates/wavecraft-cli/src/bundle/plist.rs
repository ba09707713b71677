//! The minimal `Info.plist` of a macOS plugin bundle (`.clap` and `.vst3`
//! alike): the plugin's id, display name and executable, XML-escaped.

use wavecraft_identity::PluginIdentity;

/// `text` as XML character data or attribute value.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The Info.plist of a macOS bundle whose executable is `Contents/MacOS/<executable>`.
pub(super) fn info_plist(plugin: &PluginIdentity, executable: &str) -> String {
    let executable = xml_escape(executable);
    let id = xml_escape(&plugin.id);
    let name = xml_escape(&plugin.name);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CFBundleExecutable</key><string>{executable}</string>
  <key>CFBundleIdentifier</key><string>{id}</string>
  <key>CFBundleName</key><string>{name}</string>
  <key>CFBundlePackageType</key><string>BNDL</string>
  <key>CFBundleSignature</key><string>????</string>
</dict>
</plist>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_info_plist_escapes_the_name_and_carries_the_plugins_id() {
        let plugin = PluginIdentity {
            name: "Drum & Bass <EQ>".into(),
            vendor: "Acme".into(),
            id: "com.acme.drum-bass".into(),
        };
        let plist = info_plist(&plugin, "Drum & Bass -EQ-");
        assert!(
            plist.contains("<key>CFBundleName</key><string>Drum &amp; Bass &lt;EQ&gt;</string>"),
            "{plist}"
        );
        assert!(
            plist.contains("<key>CFBundleExecutable</key><string>Drum &amp; Bass -EQ-</string>"),
            "{plist}"
        );
        assert!(
            plist.contains("<key>CFBundleIdentifier</key><string>com.acme.drum-bass</string>"),
            "{plist}"
        );
        assert!(!plist.contains("dev.wavecraft."), "{plist}");
        assert_eq!(xml_escape(r#"'"'"#), "&apos;&quot;&apos;");
    }
}
