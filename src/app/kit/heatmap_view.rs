//! `HeatmapView`: a [`Heatmap`] on the page as SVG with CSV, SVG and PNG downloads.

use super::download::{save_bytes, save_text};
use super::png::svg_to_png;
use crate::plot::{heatmap_csv, render_heatmap_svg, Heatmap};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`HeatmapView`].
#[derive(Properties, PartialEq, Clone)]
pub struct HeatmapViewProps {
    /// What to draw.
    pub map: Rc<Heatmap>,
    /// Picture width in px.
    #[prop_or(640)]
    pub width: u32,
    /// Picture height in px.
    #[prop_or(320)]
    pub height: u32,
    /// File name stem of the downloads.
    #[prop_or_else(|| AttrValue::from("heatmap"))]
    pub file_stem: AttrValue,
}

/// A heatmap with its downloads.
#[function_component(HeatmapView)]
pub fn heatmap_view(props: &HeatmapViewProps) -> Html {
    let svg = {
        let (map, w, h) = (props.map.clone(), props.width, props.height);
        use_memo((map, w, h), |(map, w, h)| {
            render_heatmap_svg(map, *w, *h).map_err(|e| e.to_string())
        })
    };
    let error = use_state(|| None::<String>);
    let stem = props.file_stem.to_string();
    let csv = {
        let (map, stem, error) = (props.map.clone(), stem.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(save_text(&format!("{stem}.csv"), "text/csv", &heatmap_csv(&map)).err());
        })
    };
    let (svg_click, png_click) = match svg.as_ref() {
        Ok(text) => {
            let (text, stem, error) = (text.clone(), stem.clone(), error.clone());
            let svg_click = {
                let (text, stem, error) = (text.clone(), stem.clone(), error.clone());
                Callback::from(move |_: MouseEvent| {
                    error.set(save_text(&format!("{stem}.svg"), "image/svg+xml", &text).err());
                })
            };
            let (w, h) = (props.width, props.height);
            let png_click = Callback::from(move |_: MouseEvent| {
                let (text, stem, error) = (text.clone(), stem.clone(), error.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let saved = svg_to_png(&text, w, h)
                        .await
                        .and_then(|b| save_bytes(&format!("{stem}.png"), "image/png", &b));
                    error.set(saved.err());
                });
            });
            (Some(svg_click), Some(png_click))
        }
        Err(_) => (None, None),
    };
    html! {
        <figure class="plot heatmap" data-title={props.map.title.clone()}>
            <div class="plot-picture" style={format!("max-width:{}px;aspect-ratio:{}/{}", props.width, props.width, props.height)}>
                { match svg.as_ref() {
                    Ok(text) => Html::from_html_unchecked(AttrValue::from(text.clone())),
                    Err(e) => html! { <p class="plot-error">{ e.clone() }</p> },
                } }
            </div>
            <figcaption class="plot-controls">
                <button onclick={csv} title="Every value of the map as CSV">{ "CSV" }</button>
                <button onclick={svg_click} disabled={svg.is_err()}>{ "SVG" }</button>
                <button onclick={png_click} disabled={svg.is_err()}>{ "PNG" }</button>
                if let Some(e) = (*error).clone() {
                    <span class="plot-error" role="alert">{ e }</span>
                }
            </figcaption>
        </figure>
    }
}
