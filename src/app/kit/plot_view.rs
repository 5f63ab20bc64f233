//! `PlotView`: a [`Chart`] on the page as SVG, with log/linear toggles, drag-to-zoom along x
//! (double-click or "Reset zoom" undoes it), the values under the pointer (the nearest point
//! with its error bars, else the axes' values), a click handed to the owner as axis values
//! (`on_pick`), and CSV, SVG and PNG downloads of exactly what is shown.

use super::download::{save_bytes, save_text};
use super::png::svg_to_png;
use crate::plot::{chart_csv, render_svg, Chart, PlotArea, Scale};
use std::rc::Rc;
use web_sys::Element;
use yew::prelude::*;

/// Properties of [`PlotView`].
#[derive(Properties, PartialEq, Clone)]
pub struct PlotViewProps {
    /// What to draw. Replace the `Rc` to redraw.
    pub chart: Rc<Chart>,
    /// Picture width in px (the picture scales down to narrow containers).
    #[prop_or(640)]
    pub width: u32,
    /// Picture height in px.
    #[prop_or(360)]
    pub height: u32,
    /// File name stem of the downloads, e.g. `saxs-fit` gives `saxs-fit.csv`.
    #[prop_or_else(|| AttrValue::from("plot"))]
    pub file_stem: AttrValue,
    /// Show the log/linear toggles.
    #[prop_or(true)]
    pub scale_toggles: bool,
    /// Told the (x, y) values of a click (a press and release within 4 px) inside the plot.
    #[prop_or_default]
    pub on_pick: Option<Callback<(f64, f64)>>,
}

/// Messages of [`PlotView`].
pub enum Msg {
    /// Toggle the x axis between log and linear.
    LogX(bool),
    /// Toggle the y axis between log and linear.
    LogY(bool),
    /// Mouse pressed at a client (x, y).
    DragStart(f64, f64),
    /// Mouse moved to a client (x, y).
    DragMove(f64, f64),
    /// Mouse released at a client (x, y).
    DragEnd(f64, f64),
    /// The pointer left the picture at a client x (ends a drag as a release would, never picks).
    Leave(f64),
    /// Forget the zoom.
    ResetZoom,
    /// Download the chart's numbers.
    Csv,
    /// Download the picture as SVG.
    Svg,
    /// Download the picture as PNG.
    Png,
    /// A download finished or failed.
    Saved(Result<(), String>),
}

/// A chart with its controls and downloads.
pub struct PlotView {
    log_x: bool,
    log_y: bool,
    zoom: Option<(f64, f64)>,
    /// Drag start and current position, in picture pixels.
    drag: Option<(f64, f64)>,
    picture: NodeRef,
    shown: Option<(String, PlotArea)>,
    /// The chart as last drawn (for the values under the pointer).
    drawn: Option<Chart>,
    /// The values under the pointer, in words.
    hover: Option<String>,
    error: Option<String>,
}

impl PlotView {
    /// The chart as shown: the toggles' scales and the zoomed x range applied.
    fn shown_chart(&self, chart: &Chart) -> Chart {
        let mut c = chart.clone();
        c.x.scale = if self.log_x {
            Scale::Log
        } else {
            Scale::Linear
        };
        c.y.scale = if self.log_y {
            Scale::Log
        } else {
            Scale::Linear
        };
        if let Some(range) = self.zoom {
            c.x.range = Some(range);
            c.y.range = None;
            // Fit y to what is inside the zoomed x range.
            for s in &mut c.series {
                let keep: Vec<bool> = s
                    .points
                    .iter()
                    .map(|p| p.0 >= range.0 && p.0 <= range.1)
                    .collect();
                let mut kept = keep.iter();
                s.points.retain(|_| kept.next().copied().unwrap_or(false));
                let mut kept = keep.iter();
                s.errors.retain(|_| kept.next().copied().unwrap_or(false));
            }
        }
        c
    }

    fn redraw(&mut self, props: &PlotViewProps) {
        let chart = self.shown_chart(&props.chart);
        match render_svg(&chart, props.width, props.height) {
            Ok(r) => {
                self.shown = Some((r.svg, r.area));
                self.error = None;
            }
            Err(e) => {
                self.shown = None;
                self.error = Some(e.to_string());
            }
        }
        self.drawn = Some(chart);
    }

    /// The values under picture pixel (px, py): the nearest point within 10 px with its
    /// error bars, else the axes' values there.
    fn hover_text(&self, px: f64, py: f64) -> Option<String> {
        let (_, area) = self.shown.as_ref()?;
        let chart = self.drawn.as_ref()?;
        let inside = px >= f64::from(area.px_x.0)
            && px <= f64::from(area.px_x.1)
            && py >= f64::from(area.px_y.0)
            && py <= f64::from(area.px_y.1);
        if !inside {
            return None;
        }
        let value = |v: f64, e: f64| {
            if e > 0.0 {
                format!("{v:.5} ± {e:.2e}")
            } else {
                format!("{v:.5}")
            }
        };
        Some(match area.nearest(chart, px, py, 10.0) {
            Some((si, pi)) => {
                let s = &chart.series[si];
                let (x, y) = s.points[pi];
                let (ex, ey) = s.error_at(pi);
                format!(
                    "{}: {} = {}, {} = {}",
                    if s.name.is_empty() { "point" } else { &s.name },
                    chart.x.label,
                    value(x, ex),
                    chart.y.label,
                    value(y, ey)
                )
            }
            None => format!(
                "{} = {:.4}, {} = {:.4}",
                chart.x.label,
                area.x_at(px),
                chart.y.label,
                area.y_at(py)
            ),
        })
    }

    /// Client x → picture pixel (the picture may be scaled by CSS).
    fn to_picture_px(&self, client_x: f64, width: u32) -> Option<f64> {
        let element = self.picture.cast::<Element>()?;
        let rect = element.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return None;
        }
        Some((client_x - rect.left()) * f64::from(width) / rect.width())
    }

    /// Client y → picture pixel.
    fn to_picture_py(&self, client_y: f64, height: u32) -> Option<f64> {
        let element = self.picture.cast::<Element>()?;
        let rect = element.get_bounding_client_rect();
        if rect.height() <= 0.0 {
            return None;
        }
        Some((client_y - rect.top()) * f64::from(height) / rect.height())
    }
}

impl Component for PlotView {
    type Message = Msg;
    type Properties = PlotViewProps;

    fn create(ctx: &Context<Self>) -> Self {
        let chart = &ctx.props().chart;
        let mut view = PlotView {
            log_x: chart.x.scale == Scale::Log,
            log_y: chart.y.scale == Scale::Log,
            zoom: None,
            drag: None,
            picture: NodeRef::default(),
            shown: None,
            drawn: None,
            hover: None,
            error: None,
        };
        view.redraw(ctx.props());
        view
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let new = ctx.props();
        if old.chart.x.scale != new.chart.x.scale {
            self.log_x = new.chart.x.scale == Scale::Log;
        }
        if old.chart.y.scale != new.chart.y.scale {
            self.log_y = new.chart.y.scale == Scale::Log;
        }
        self.redraw(new);
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        let props = ctx.props();
        match msg {
            Msg::LogX(on) => {
                self.log_x = on;
                self.zoom = None;
            }
            Msg::LogY(on) => self.log_y = on,
            Msg::ResetZoom => self.zoom = None,
            Msg::DragStart(cx, _) => {
                self.drag = self.to_picture_px(cx, props.width).map(|p| (p, p));
                return true;
            }
            Msg::DragMove(cx, cy) => {
                let Some((start, _)) = self.drag else {
                    let hover = self
                        .to_picture_px(cx, props.width)
                        .zip(self.to_picture_py(cy, props.height))
                        .and_then(|(px, py)| self.hover_text(px, py));
                    let changed = hover != self.hover;
                    self.hover = hover;
                    return changed;
                };
                if let Some(p) = self.to_picture_px(cx, props.width) {
                    self.drag = Some((start, p));
                }
                return true;
            }
            Msg::Leave(cx) => {
                self.hover = None;
                let Some((start, _)) = self.drag.take() else {
                    return true;
                };
                let (Some(end), Some((_, area))) =
                    (self.to_picture_px(cx, props.width), self.shown.as_ref())
                else {
                    return true;
                };
                let (a, b) = (area.x_at(start.min(end)), area.x_at(start.max(end)));
                if (end - start).abs() >= 4.0 && a < b {
                    self.zoom = Some((a, b));
                }
            }
            Msg::DragEnd(cx, cy) => {
                let Some((start, _)) = self.drag.take() else {
                    return false;
                };
                let (Some(end), Some((_, area))) =
                    (self.to_picture_px(cx, props.width), self.shown.as_ref())
                else {
                    return true;
                };
                if (end - start).abs() < 4.0 {
                    let py = self.to_picture_py(cy, props.height);
                    if let (Some(pick), Some(py)) = (&props.on_pick, py) {
                        let inside = end >= f64::from(area.px_x.0)
                            && end <= f64::from(area.px_x.1)
                            && py >= f64::from(area.px_y.0)
                            && py <= f64::from(area.px_y.1);
                        if inside {
                            pick.emit((area.x_at(end), area.y_at(py)));
                        }
                    }
                    return true;
                }
                let (a, b) = (area.x_at(start.min(end)), area.x_at(start.max(end)));
                if a < b {
                    self.zoom = Some((a, b));
                }
            }
            Msg::Csv => {
                let name = format!("{}.csv", props.file_stem);
                let result = save_text(&name, "text/csv", &chart_csv(&props.chart));
                return self.saved(result);
            }
            Msg::Svg => {
                let Some((svg, _)) = &self.shown else {
                    return false;
                };
                let name = format!("{}.svg", props.file_stem);
                let result = save_text(&name, "image/svg+xml", svg);
                return self.saved(result);
            }
            Msg::Png => {
                let Some((svg, _)) = self.shown.clone() else {
                    return false;
                };
                let name = format!("{}.png", props.file_stem);
                let (w, h) = (props.width, props.height);
                ctx.link().send_future(async move {
                    let bytes = svg_to_png(&svg, w, h).await;
                    Msg::Saved(bytes.and_then(|b| save_bytes(&name, "image/png", &b)))
                });
                return false;
            }
            Msg::Saved(result) => return self.saved(result),
        }
        self.redraw(props);
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let link = ctx.link();
        let picture = match (&self.shown, &self.error) {
            (Some((svg, _)), _) => Html::from_html_unchecked(AttrValue::from(svg.clone())),
            (None, Some(e)) => html! { <p class="plot-error">{ e.clone() }</p> },
            (None, None) => html! {},
        };
        let selection = self.drag.map(|(a, b)| {
            let (l, r) = (a.min(b), a.max(b));
            let w = f64::from(props.width);
            html! {
                <div class="plot-selection"
                    style={format!("left:{:.3}%;width:{:.3}%", 100.0 * l / w, 100.0 * (r - l) / w)}></div>
            }
        });
        let at = |e: &MouseEvent| (f64::from(e.client_x()), f64::from(e.client_y()));
        let onmousedown = link.callback(move |e: MouseEvent| {
            e.prevent_default();
            let (x, y) = at(&e);
            Msg::DragStart(x, y)
        });
        let onmousemove = link.callback(move |e: MouseEvent| {
            let (x, y) = at(&e);
            Msg::DragMove(x, y)
        });
        let onmouseup = link.callback(move |e: MouseEvent| {
            let (x, y) = at(&e);
            Msg::DragEnd(x, y)
        });
        let onmouseleave = link.callback(|e: MouseEvent| Msg::Leave(f64::from(e.client_x())));
        let ondblclick = link.callback(|_| Msg::ResetZoom);
        let toggle = |label: &'static str, on: bool, make: fn(bool) -> Msg| {
            let onchange = link.callback(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                make(input.checked())
            });
            html! {
                <label class="plot-toggle"><input type="checkbox" checked={on} {onchange} />{ label }</label>
            }
        };
        html! {
            <figure class="plot" data-title={props.chart.title.clone()}
                data-points={props.chart.series.iter().map(|s| s.points.len()).sum::<usize>().to_string()}>
                <div class="plot-picture" ref={self.picture.clone()}
                    style={format!("max-width:{}px;aspect-ratio:{}/{}", props.width, props.width, props.height)}
                    {onmousedown} {onmousemove} {onmouseup} {onmouseleave} {ondblclick}
                    title="Drag across the plot to zoom in x; double-click to reset">
                    { picture }
                    { for selection }
                </div>
                <figcaption class="plot-controls">
                    if props.scale_toggles {
                        { toggle("log x", self.log_x, Msg::LogX) }
                        { toggle("log y", self.log_y, Msg::LogY) }
                    }
                    if self.zoom.is_some() {
                        <button onclick={link.callback(|_| Msg::ResetZoom)}>{ "Reset zoom" }</button>
                    }
                    <button onclick={link.callback(|_| Msg::Csv)} title="The plotted numbers as CSV">{ "CSV" }</button>
                    <button onclick={link.callback(|_| Msg::Svg)}>{ "SVG" }</button>
                    <button onclick={link.callback(|_| Msg::Png)}>{ "PNG" }</button>
                    if let Some(e) = &self.error {
                        <span class="plot-error" role="alert">{ e.clone() }</span>
                    }
                    if let Some(h) = &self.hover {
                        <span class="plot-hover" aria-live="polite">{ h.clone() }</span>
                    }
                </figcaption>
            </figure>
        }
    }
}

impl PlotView {
    fn saved(&mut self, result: Result<(), String>) -> bool {
        let changed = self.error.is_some() || result.is_err();
        self.error = result.err();
        changed
    }
}
