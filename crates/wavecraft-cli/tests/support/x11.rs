//! The test's side of X11: a connection, parent windows for plugin GUIs,
//! screenshots (GetImage) saved as PNG, and real pointer input (XTEST), as a
//! person at a DAW would drag a control.

use std::path::Path;
use std::time::Duration;

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    ConnectionExt as _, CreateWindowAux, EventMask, ImageFormat, WindowClass,
};
use x11rb::protocol::xtest::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

/// A connection to the display named by `DISPLAY`.
pub struct Display {
    conn: RustConnection,
    root: u32,
}

/// An RGB screenshot.
pub struct Shot {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major RGB bytes.
    pub rgb: Vec<u8>,
}

impl Display {
    /// Connects, or panics saying how to get a display.
    pub fn connect() -> Self {
        let (conn, screen) = x11rb::connect(None).unwrap_or_else(|e| {
            panic!(
                "no X11 display ({e}); DISPLAY={:?}. Run under `xvfb-run -a` \
                 (cargo xtask test does when DISPLAY is unset)",
                std::env::var("DISPLAY")
            )
        });
        let root = conn.setup().roots[screen].root;
        Display { conn, root }
    }

    /// A mapped top-level window at (x, y), `width` × `height`, black, for a plugin to embed in.
    pub fn parent_window(&self, x: i16, y: i16, width: u16, height: u16) -> u32 {
        let id = self.conn.generate_id().unwrap();
        self.conn
            .create_window(
                x11rb::COPY_DEPTH_FROM_PARENT,
                id,
                self.root,
                x,
                y,
                width,
                height,
                0,
                WindowClass::INPUT_OUTPUT,
                x11rb::COPY_FROM_PARENT,
                &CreateWindowAux::new()
                    .background_pixel(0)
                    .event_mask(EventMask::STRUCTURE_NOTIFY),
            )
            .unwrap();
        self.conn.map_window(id).unwrap();
        self.conn.sync().unwrap();
        id
    }

    /// Destroys a window made by [`Display::parent_window`].
    pub fn destroy(&self, window: u32) {
        self.conn.destroy_window(window).unwrap();
        self.conn.sync().unwrap();
    }

    /// What the screen shows now in the rectangle (x, y, width, height), as RGB. Read from the
    /// root window: a child of another depth (a webview's) is only defined there.
    pub fn screenshot(&self, x: i16, y: i16, width: u16, height: u16) -> Shot {
        let image = self
            .conn
            .get_image(ImageFormat::Z_PIXMAP, self.root, x, y, width, height, !0)
            .unwrap()
            .reply()
            .unwrap();
        assert_eq!(
            image.depth, 24,
            "a 24-bit TrueColor visual (Xvfb's default)"
        );
        let rgb = image
            .data
            .chunks_exact(4)
            .flat_map(|bgrx| [bgrx[2], bgrx[1], bgrx[0]])
            .collect();
        Shot {
            width: width.into(),
            height: height.into(),
            rgb,
        }
    }

    /// Presses the left button at (x, y) of the screen, moves right by `dx` in steps, releases.
    pub fn drag(&self, x: i16, y: i16, dx: i16) {
        let move_to = |x: i16| {
            self.conn
                .xtest_fake_input(6, 0, 0, self.root, x, y, 0)
                .unwrap();
            self.conn.sync().unwrap();
            std::thread::sleep(Duration::from_millis(15));
        };
        move_to(x);
        self.conn
            .xtest_fake_input(4, 1, 0, self.root, 0, 0, 0)
            .unwrap();
        self.conn.sync().unwrap();
        std::thread::sleep(Duration::from_millis(15));
        for step in 1..=10 {
            move_to(x + dx * step / 10);
        }
        self.conn
            .xtest_fake_input(5, 1, 0, self.root, 0, 0, 0)
            .unwrap();
        self.conn.sync().unwrap();
    }
}

impl Shot {
    /// How many different colours the screenshot has.
    pub fn colours(&self) -> usize {
        let mut seen: Vec<[u8; 3]> = self
            .rgb
            .chunks_exact(3)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// How many different colours the rectangle (x, y, w, h) has.
    pub fn colours_in(&self, x: u32, y: u32, w: u32, h: u32) -> usize {
        let mut seen = Vec::new();
        for row in y..(y + h).min(self.height) {
            for col in x..(x + w).min(self.width) {
                let i = ((row * self.width + col) * 3) as usize;
                seen.push([self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// Writes the screenshot as a PNG file.
    pub fn save_png(&self, path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        let mut encoder = png::Encoder::new(file, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&self.rgb).unwrap();
    }
}
