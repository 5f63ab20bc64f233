//! The plots as PNG: the very SVG [`crate::plot::render_svg`] draws, rasterised with resvg at
//! twice its size. Text uses the system's fonts (a sans-serif family is picked among those
//! installed when the default one is missing); without any font the picture keeps its curves
//! and axes and loses its labels.

use std::sync::OnceLock;

use resvg::{tiny_skia, usvg};

/// Families tried, in order, for SVG's generic `sans-serif`.
const SANS_SERIF: [&str; 6] = [
    "Arial",
    "Helvetica",
    "DejaVu Sans",
    "Liberation Sans",
    "Noto Sans",
    "FreeSans",
];

/// Pixels per SVG pixel.
const SCALE: f32 = 2.0;

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut options = usvg::Options::default();
        let db = options.fontdb_mut();
        db.load_system_fonts();
        let has = |family: &str| {
            db.faces()
                .any(|f| f.families.iter().any(|(name, _)| name == family))
        };
        if let Some(family) = SANS_SERIF.into_iter().find(|f| has(f)) {
            db.set_sans_serif_family(family);
        }
        options
    })
}

/// `svg` as PNG bytes.
///
/// # Errors
/// A message when the SVG cannot be parsed or the picture is empty.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * SCALE).ceil() as u32,
        (size.height() * SCALE).ceil() as u32,
    );
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("cannot make a {w}×{h} picture"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_becomes_a_png_of_twice_its_size() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect x="5" y="5" width="10" height="10" fill="red"/></svg>"#;
        let png = svg_to_png(svg).expect("png");
        assert_eq!(&png[1..4], b"PNG");
        let (w, h) = (
            u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
            u32::from_be_bytes([png[20], png[21], png[22], png[23]]),
        );
        assert_eq!((w, h), (80, 60));
        assert!(svg_to_png("not svg").is_err());
    }
}
