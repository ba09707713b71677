//! The plugin window's size, from the author's Cargo.toml:
//! `[package.metadata.wavecraft] ui = { width, height, resizable, min_width, min_height }`.
//! Every field is optional; a missing table gives [`WindowMetadata::DEFAULT`]. Sizes are
//! logical pixels (the host's scale multiplies them). Reads text only, like [`crate::identity`].

use serde::Deserialize;

use crate::Manifest;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct UiTable {
    width: Option<u32>,
    height: Option<u32>,
    resizable: Option<bool>,
    min_width: Option<u32>,
    min_height: Option<u32>,
}

/// Size and resizing of the plugin window, in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowMetadata {
    /// Width the window opens with.
    pub width: u32,
    /// Height the window opens with.
    pub height: u32,
    /// Whether the host may resize it.
    pub resizable: bool,
    /// Smallest width a resize may reach (the opening width when not resizable).
    pub min_width: u32,
    /// Smallest height a resize may reach (the opening height when not resizable).
    pub min_height: u32,
}

/// Largest width or height accepted (a 16K display).
pub const MAX_SIDE: u32 = 16_384;

impl WindowMetadata {
    /// The size when the author's Cargo.toml says nothing: 800 × 600, fixed.
    pub const DEFAULT: WindowMetadata = WindowMetadata {
        width: 800,
        height: 600,
        resizable: false,
        min_width: 800,
        min_height: 600,
    };
}

/// Why the `ui` table was refused.
#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    /// Not TOML, or a field of the wrong type or an unknown field in `ui`.
    #[error("Cargo.toml [package.metadata.wavecraft] ui: {0}")]
    Toml(toml::de::Error),
    /// A size that no window can have.
    #[error("Cargo.toml [package.metadata.wavecraft] ui: {0}")]
    Size(String),
}

/// Reads the window size from a manifest's text.
pub fn window(manifest: &str) -> Result<WindowMetadata, WindowError> {
    let m: Manifest = toml::from_str(manifest).map_err(WindowError::Toml)?;
    let Some(ui) = m
        .package
        .metadata
        .and_then(|m| m.wavecraft)
        .and_then(|w| w.ui)
    else {
        return Ok(WindowMetadata::DEFAULT);
    };
    let ui = UiTable::deserialize(ui).map_err(WindowError::Toml)?;
    let width = ui.width.unwrap_or(WindowMetadata::DEFAULT.width);
    let height = ui.height.unwrap_or(WindowMetadata::DEFAULT.height);
    let resizable = ui.resizable.unwrap_or(false);
    let (min_width, min_height) = if resizable {
        (
            ui.min_width.unwrap_or(width),
            ui.min_height.unwrap_or(height),
        )
    } else {
        (width, height)
    };
    for (name, value) in [
        ("width", width),
        ("height", height),
        ("min_width", min_width),
        ("min_height", min_height),
    ] {
        if value == 0 || value > MAX_SIDE {
            return Err(WindowError::Size(format!(
                "{name} = {value} is not between 1 and {MAX_SIDE}"
            )));
        }
    }
    if min_width > width || min_height > height {
        return Err(WindowError::Size(format!(
            "min_width × min_height ({min_width} × {min_height}) is larger than width × height ({width} × {height})"
        )));
    }
    Ok(WindowMetadata {
        width,
        height,
        resizable,
        min_width,
        min_height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_table_gives_the_default() {
        assert_eq!(
            window("[package]\nname = \"x\"\n").unwrap(),
            WindowMetadata::DEFAULT
        );
    }

    #[test]
    fn reads_every_field() {
        let w = window(
            "[package.metadata.wavecraft]\nui = { width = 640, height = 420, resizable = true, min_width = 320, min_height = 200 }\n",
        )
        .unwrap();
        assert_eq!(
            w,
            WindowMetadata {
                width: 640,
                height: 420,
                resizable: true,
                min_width: 320,
                min_height: 200
            }
        );
    }

    #[test]
    fn a_fixed_window_has_its_own_size_as_minimum() {
        let w = window("[package.metadata.wavecraft.ui]\nwidth = 500\nmin_width = 10\n").unwrap();
        assert_eq!((w.width, w.height, w.resizable), (500, 600, false));
        assert_eq!((w.min_width, w.min_height), (500, 600));
    }

    #[test]
    fn refuses_impossible_sizes_and_unknown_fields() {
        let zero = window("[package.metadata.wavecraft]\nui = { width = 0 }\n").unwrap_err();
        assert!(zero
            .to_string()
            .contains("width = 0 is not between 1 and 16384"));
        let min = window(
            "[package.metadata.wavecraft]\nui = { width = 300, resizable = true, min_width = 400 }\n",
        )
        .unwrap_err();
        assert!(min.to_string().contains("larger than width × height"));
        let typo = window("[package.metadata.wavecraft]\nui = { widht = 300 }\n").unwrap_err();
        assert!(typo.to_string().contains("widht"));
        let negative = window("[package.metadata.wavecraft]\nui = { width = -3 }\n").unwrap_err();
        assert!(matches!(negative, WindowError::Toml(_)));
    }
}
