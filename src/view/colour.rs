//! Colours and the colour map used for per-particle scalars (e.g. Steinhardt q_l).

/// A linear RGB colour with components in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgb(pub [f32; 3]);

impl Rgb {
    /// Crystalline large particles in the paper's Fig. 4b,c.
    pub const FIG4_BLUE: Rgb = Rgb([0.16, 0.36, 0.86]);
    /// Small particles next to a crystalline large one in Fig. 4b,c.
    pub const FIG4_PINK: Rgb = Rgb([0.98, 0.50, 0.72]);
    /// All other particles in Fig. 4b,c.
    pub const FIG4_GREY: Rgb = Rgb([0.62, 0.62, 0.62]);
    /// The view's background.
    pub const BACKGROUND: Rgb = Rgb([1.0, 1.0, 1.0]);

    /// The colour as 8-bit sRGB-style bytes (no gamma curve: the renderers write these values
    /// straight to the canvas).
    #[must_use]
    pub fn to_bytes(self) -> [u8; 3] {
        self.0.map(|c| (c.clamp(0.0, 1.0) * 255.0).round() as u8)
    }

    /// The colour as a CSS `#rrggbb` string, for legends.
    #[must_use]
    pub fn css(self) -> String {
        let [r, g, b] = self.to_bytes();
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// A colour for particle type `typeid`: orange for type 0 (large), teal for type 1
    /// (small), then further distinct colours.
    #[must_use]
    pub fn species(typeid: u32) -> Rgb {
        const PALETTE: [Rgb; 6] = [
            Rgb([0.90, 0.55, 0.20]),
            Rgb([0.20, 0.62, 0.62]),
            Rgb([0.55, 0.35, 0.70]),
            Rgb([0.40, 0.65, 0.25]),
            Rgb([0.80, 0.30, 0.30]),
            Rgb([0.45, 0.45, 0.45]),
        ];
        PALETTE[typeid as usize % PALETTE.len()]
    }
}

/// A continuous colour map from a scalar range to colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColourMap {
    /// matplotlib's viridis (dark purple → yellow), sampled at nine stops and interpolated.
    #[default]
    Viridis,
    /// A plain grey ramp (black → white).
    Greys,
}

const VIRIDIS: [[f32; 3]; 9] = [
    [0.267, 0.005, 0.329],
    [0.279, 0.175, 0.483],
    [0.230, 0.322, 0.546],
    [0.173, 0.449, 0.558],
    [0.128, 0.567, 0.551],
    [0.153, 0.680, 0.504],
    [0.361, 0.785, 0.388],
    [0.667, 0.862, 0.196],
    [0.993, 0.906, 0.144],
];

impl ColourMap {
    /// The colour at `t` in [0, 1] (clamped); NaN gives mid grey.
    #[must_use]
    pub fn at(self, t: f64) -> Rgb {
        if t.is_nan() {
            return Rgb([0.5, 0.5, 0.5]);
        }
        let t = t.clamp(0.0, 1.0) as f32;
        match self {
            ColourMap::Greys => Rgb([t, t, t]),
            ColourMap::Viridis => {
                let x = t * (VIRIDIS.len() - 1) as f32;
                let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
                let f = x - i as f32;
                let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
                Rgb([0, 1, 2].map(|k| a[k] + (b[k] - a[k]) * f))
            }
        }
    }

    /// The colour of `value` on the range `[lo, hi]`; a collapsed range maps everything to
    /// the middle of the map.
    #[must_use]
    pub fn map(self, value: f64, lo: f64, hi: f64) -> Rgb {
        let span = hi - lo;
        if span.is_finite() && span > 0.0 {
            self.at((value - lo) / span)
        } else if value.is_nan() {
            self.at(f64::NAN)
        } else {
            self.at(0.5)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn viridis_hits_its_end_stops_and_is_monotone_in_lightness() {
        assert_eq!(ColourMap::Viridis.at(0.0), Rgb(VIRIDIS[0]));
        assert_eq!(ColourMap::Viridis.at(1.0), Rgb(VIRIDIS[8]));
        assert_eq!(ColourMap::Viridis.at(-3.0), Rgb(VIRIDIS[0]));
        assert_eq!(ColourMap::Viridis.at(7.0), Rgb(VIRIDIS[8]));
        let lum = |c: Rgb| 0.2126 * c.0[0] + 0.7152 * c.0[1] + 0.0722 * c.0[2];
        let mut last = -1.0;
        for i in 0..=100 {
            let l = lum(ColourMap::Viridis.at(f64::from(i) / 100.0));
            assert!(l > last);
            last = l;
        }
        assert_eq!(ColourMap::Viridis.at(f64::NAN), Rgb([0.5; 3]));
    }

    #[test]
    fn map_normalises_the_range() {
        assert_eq!(ColourMap::Greys.map(0.3, 0.2, 0.4), Rgb([0.5; 3]));
        assert_eq!(ColourMap::Greys.map(9.0, 1.0, 1.0), Rgb([0.5; 3]));
        assert_eq!(ColourMap::Greys.map(0.0, 0.0, 1.0), Rgb([0.0; 3]));
    }

    #[test]
    fn css_and_species_palette() {
        assert_eq!(Rgb([1.0, 0.0, 0.5]).css(), "#ff0080");
        assert_ne!(Rgb::species(0), Rgb::species(1));
        assert_eq!(Rgb::species(6), Rgb::species(0));
    }
}
