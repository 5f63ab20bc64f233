//! The SAXS tab's time series: the worker's messages of a series fit, the S(q, t) heatmap,
//! the frame slider and the parameters against time.

use super::*;
use crate::app::kit::HeatmapView;
use crate::jobs::{JobEvent, JobOutput};
use crate::plot::Heatmap;
use std::rc::Rc;

impl SaxsTab {
    /// A message of the fit's worker (a single pattern or a series).
    pub(super) fn on_worker(&mut self, message: WorkerMessage) {
        match message {
            WorkerMessage::Event(JobEvent::Progress(p), _) => {
                if p.done == 0 {
                    // The worker is loaded and the fit begins: time the fit from here.
                    self.series_t0 = now_ms();
                }
                self.progress = Some((p.done, p.total));
                self.progress_note = p.note;
            }
            WorkerMessage::Event(JobEvent::Output(JobOutput::FitSeries(out)), _) => {
                self.pending = out.fits;
            }
            WorkerMessage::Event(JobEvent::Output(JobOutput::FitPattern(out)), _) => {
                self.fit = Some(Rc::new(out.fit));
                self.fit_ms = self
                    .file_name
                    .clone()
                    .map(|n| (n, now_ms() - self.series_t0));
            }
            WorkerMessage::Event(_, _) | WorkerMessage::Paused | WorkerMessage::Resumed => {}
            WorkerMessage::Stopped | WorkerMessage::Finished => {
                self.worker = None;
                self.progress = None;
                if matches!(self.loaded, Some(Loaded::Series(_))) {
                    self.fit_ms = self
                        .file_name
                        .clone()
                        .map(|n| (n, now_ms() - self.series_t0));
                    self.frames = std::mem::take(&mut self.pending);
                    self.frame = self.frames.len().saturating_sub(1);
                }
            }
            WorkerMessage::Failed(e) => {
                self.worker = None;
                self.progress = None;
                if matches!(self.loaded, Some(Loaded::Series(_))) {
                    self.frames = std::mem::take(&mut self.pending);
                    self.frame = self.frames.len().saturating_sub(1);
                }
                self.error = Some(e);
                self.retry = true;
            }
        }
    }

    /// Stops the running fit: a series after its current frame (keeping the frames done), a
    /// single fit at once (its worker ends; the fit shown before stays).
    pub(super) fn stop(&mut self) {
        match (&self.worker, &self.loaded) {
            (Some(w), Some(Loaded::Series(_))) => w.stop(),
            (Some(_), _) => {
                self.worker = None;
                self.progress = None;
                self.run_id += 1;
                self.notice = Some("Fit stopped; what was shown before is kept.".into());
            }
            (None, _) => {}
        }
    }

    pub(super) fn view_series(&self, ctx: &Context<Self>, series: &Series) -> Html {
        let heat = Heatmap {
            title: "S(q, t)".into(),
            x: Axis::new(if series.unit.unit == QUnit::InverseNm {
                "q (nm⁻¹)"
            } else {
                "q (Å⁻¹)"
            }),
            y: Axis::new("t"),
            x_values: series.q.clone(),
            y_values: series.times.clone(),
            z: series.frames.clone(),
            z_label: "S".into(),
            z_log: false,
        };
        let frame = self.frame.min(series.frames.len().saturating_sub(1));
        let fit_at = self.frames.iter().find(|f| f.time == series.times[frame]);
        let pattern = series.frame(frame);
        let onslide = ctx.link().callback(|e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            Msg::Frame(v.parse().unwrap_or(0))
        });
        let progress = self.progress;
        html! {
            <div class="saxs-series">
                <div class="saxs-heatmap">
                    <HeatmapView map={Rc::new(heat)} file_stem="saxs-series-heatmap" />
                </div>
                if let Some((done, total)) = progress {
                    <div class="saxs-progress">
                        <progress max={total.to_string()} value={done.to_string()}></progress>
                        <span>{ format!("{done} / {total} frames") }</span>
                        <button onclick={ctx.link().callback(|_| Msg::Stop)}>{ "Stop" }</button>
                    </div>
                }
                <label class="saxs-slider">{ format!("frame {} (t = {})", frame, series.times[frame]) }
                    <input type="range" min="0" max={(series.frames.len() - 1).to_string()} value={frame.to_string()} oninput={onslide} />
                </label>
                if let Some(p) = pattern {
                    { self.view_pattern(&p, fit_at.map(|f| PatternFit::Lattice(Box::new(f.fit.clone()))).as_ref(), "saxs-frame") }
                }
                if !self.frames.is_empty() { { self.view_kinetics() } }
            </div>
        }
    }

    fn view_kinetics(&self) -> Html {
        let Some(last) = self.frames.last() else {
            return html! {};
        };
        let mut charts = Vec::new();
        for (i, spec) in last.fit.model.phases.iter().enumerate() {
            let name = structure_name(spec.structure);
            let series_of = |get: &dyn Fn(&PhaseParameters) -> Option<f64>| -> Vec<(f64, f64)> {
                self.frames
                    .iter()
                    .filter_map(|f| {
                        f.fit
                            .phases
                            .iter()
                            .find(|p| p.model_index == i)
                            .and_then(|p| get(p).map(|v| (f.time, v)))
                    })
                    .collect()
            };
            charts.push(
                Chart::new(format!("{name}: a(t)"), Axis::new("t"), Axis::new("a")).with(
                    PlotSeries::line("a", series_of(&|p| Some(p.a.value)))
                        .styled(Style::LinePoints),
                ),
            );
            charts.push(
                Chart::new(format!("{name}: ξ(t)"), Axis::new("t"), Axis::new("ξ")).with(
                    PlotSeries::line("ξ", series_of(&|p| Some(p.xi.value)))
                        .styled(Style::LinePoints),
                ),
            );
            let growth: Vec<(f64, f64)> = self
                .frames
                .iter()
                .filter_map(|f| {
                    let k = f.fit.phases.iter().position(|p| p.model_index == i)?;
                    f.phases.get(k).map(|g| (f.time, g.growth))
                })
                .collect();
            charts.push(
                Chart::new(
                    format!("{name}: growth (area / max)"),
                    Axis::new("t"),
                    Axis::new("fraction"),
                )
                .with(PlotSeries::line("growth", growth).styled(Style::LinePoints)),
            );
            if last.fit.phases.iter().any(|p| p.d_ll.is_some()) {
                charts.push(
                    Chart::new(format!("{name}: gaps d(t)"), Axis::new("t"), Axis::new("d"))
                        .with(PlotSeries::line(
                            "d_LL",
                            series_of(&|p| p.d_ll.map(|q| q.value)),
                        ))
                        .with(PlotSeries::line(
                            "d_SS",
                            series_of(&|p| p.d_ss.map(|q| q.value)),
                        ))
                        .with(PlotSeries::line(
                            "d_LS",
                            series_of(&|p| p.d_ls.map(|q| q.value)),
                        )),
                );
                charts.push(
                    Chart::new(format!("{name}: φ(t)"), Axis::new("t"), Axis::new("φ")).with(
                        PlotSeries::line("φ", series_of(&|p| p.phi.map(|q| q.value))),
                    ),
                );
            }
        }
        html! {
            <div class="saxs-kinetics">
                { for charts.into_iter().enumerate().map(|(k, c)| html! { <PlotView chart={Rc::new(c)} width={420} height={260} file_stem={format!("saxs-kinetics-{k}")} /> }) }
            </div>
        }
    }
}
