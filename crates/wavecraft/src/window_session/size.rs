//! The window's size as the host negotiates it: the author's metadata (size,
//! whether it resizes, the least size) and the host's scale, in logical and
//! physical pixels. Both formats ask the same questions (CLAP `get_size`,
//! `adjust_size`, `set_size`, `set_scale`; VST3 `getSize`,
//! `checkSizeConstraint`, `onSize`), answered here once.

use crate::WindowSize;

/// A size in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Physical {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// The window's current size and scale, within the author's limits.
#[derive(Debug, Clone, Copy)]
pub struct Sizing {
    meta: WindowSize,
    scale: f64,
    /// Logical size.
    width: u32,
    height: u32,
}

impl Sizing {
    /// The size the author's metadata opens with, at scale 1.
    pub fn new(meta: WindowSize) -> Self {
        Sizing {
            meta,
            scale: 1.0,
            width: meta.width,
            height: meta.height,
        }
    }

    /// Whether the host may resize the window.
    pub fn resizable(&self) -> bool {
        self.meta.resizable
    }

    /// The host's scale: physical pixels per logical one (1 until the host sets one).
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Sets the host's scale (physical pixels per logical one); refuses what is not a
    /// positive number. (CLAP `set_scale`, VST3 `setContentScaleFactor`.)
    #[cfg(feature = "clap")]
    pub fn set_scale(&mut self, scale: f64) -> Result<(), &'static str> {
        if !(scale.is_finite() && scale > 0.0) {
            return Err("the scale must be a positive number");
        }
        self.scale = scale;
        Ok(())
    }

    /// The current size in physical pixels.
    pub fn physical(&self) -> Physical {
        Physical {
            width: self.scaled(self.width),
            height: self.scaled(self.height),
        }
    }

    /// The size closest to `size` (physical) that the window can take.
    pub fn adjust(&self, size: Physical) -> Physical {
        if !self.meta.resizable {
            return self.physical();
        }
        Physical {
            width: size.width.max(self.scaled(self.meta.min_width)),
            height: size.height.max(self.scaled(self.meta.min_height)),
        }
    }

    /// Takes `size` (physical) if the window can take it exactly (see [`Sizing::adjust`]).
    pub fn set_physical(&mut self, size: Physical) -> Result<(), &'static str> {
        if self.adjust(size) != size {
            return Err("the window cannot take that size (ask which size it can take first)");
        }
        self.width = (f64::from(size.width) / self.scale).round() as u32;
        self.height = (f64::from(size.height) / self.scale).round() as u32;
        Ok(())
    }

    fn scaled(&self, side: u32) -> u32 {
        (f64::from(side) * self.scale).round() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(resizable: bool) -> WindowSize {
        WindowSize {
            width: 800,
            height: 600,
            resizable,
            min_width: 400,
            min_height: 300,
        }
    }

    #[test]
    #[cfg(feature = "clap")]
    fn a_fixed_window_keeps_its_size_at_its_scale() {
        let mut sizing = Sizing::new(meta(false));
        sizing.set_scale(1.5).unwrap();
        let want = Physical {
            width: 1200,
            height: 900,
        };
        assert_eq!(sizing.physical(), want);
        let asked = Physical {
            width: 100,
            height: 2000,
        };
        assert_eq!(sizing.adjust(asked), want);
        assert!(sizing.set_physical(asked).is_err());
        assert_eq!(sizing.physical(), want);
    }

    #[test]
    #[cfg(feature = "clap")]
    fn a_resizable_window_stops_at_its_least_size() {
        let mut sizing = Sizing::new(meta(true));
        sizing.set_scale(2.0).unwrap();
        let small = Physical {
            width: 10,
            height: 1000,
        };
        let fits = Physical {
            width: 800,
            height: 1000,
        };
        assert_eq!(sizing.adjust(small), fits);
        sizing.set_physical(fits).unwrap();
        sizing.set_scale(1.0).unwrap();
        assert_eq!(
            sizing.physical(),
            Physical {
                width: 400,
                height: 500
            }
        );
    }

    #[test]
    #[cfg(feature = "clap")]
    fn a_scale_that_is_not_a_positive_number_is_refused() {
        let mut sizing = Sizing::new(meta(true));
        for scale in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(sizing.set_scale(scale).is_err(), "{scale}");
        }
        assert_eq!(sizing.physical().width, 800);
    }
}
