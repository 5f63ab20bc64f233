//! The Analyse tab (issue #4, SCIENCE.md §2): drop a GSD trajectory (ours or HOOMD-blue's), or
//! load an example, and see per frame the crystalline fraction of the large particles under
//! the AlB₂, NaZn₁₃ and fcc classifiers (Fig. 3e style), the q_l histograms against their
//! thresholds, g(r), S(q) and the local density; a frame slider; the 3D view coloured as the
//! paper's Fig. 4. The analysis runs in the Web Worker (`jobs::analyse`) with a progress bar
//! and can be paused or stopped; the classifiers are editable.

mod charts;
mod form;
pub(crate) mod load;

use std::io::Cursor;
use std::rc::Rc;

use crate::analysis::pipeline::{AnalysisSettings, FrameReport, SettingIssue, SettingsDraft};
use crate::analysis::Label;
use crate::app::kit::PlotView;
use crate::app::view3d::ParticleView;
use crate::app::worker::{WorkerHandle, WorkerMessage};
use crate::io::gsd::HoomdReader;
use crate::jobs::analyse::{restore_labels, AnalyseSpec};
use crate::jobs::{JobEvent, JobOutput, JobSpec, Progress};
use crate::model::Frame;
use crate::view::{Colouring, Fig4Label};
use form::Edit;
use web_sys::{DragEvent, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A trajectory the tab holds.
struct Trajectory {
    name: String,
    bytes: Rc<Vec<u8>>,
    frames: u64,
}

/// Messages of [`AnalyseTab`].
pub enum Msg {
    /// Files were picked or dropped.
    Files(Option<web_sys::FileList>),
    /// Bytes arrived (name, bytes) or reading failed.
    Loaded(Result<(String, Vec<u8>), String>),
    /// Load the bundled engine example.
    ExampleSeeded,
    /// Build and load the lattice example.
    ExampleMelting,
    /// A message of run `id`'s worker.
    Worker(u32, WorkerMessage),
    /// Pause or resume the run.
    PauseResume,
    /// Stop the run.
    Stop,
    /// Show frame k.
    Select(usize),
    /// Classifier shown in the histograms and the 3D view.
    ShowClassifier(usize),
    /// An edit of the classifier settings.
    Edit(Edit),
    /// Apply the edited settings and analyse again.
    Apply,
    /// Back to the paper's classifiers.
    ResetSettings,
    /// A drag is over the drop zone (`true`) or left it.
    DragOver(bool),
}

/// The Analyse tab.
pub struct AnalyseTab {
    trajectory: Option<Trajectory>,
    reports: Vec<FrameReport>,
    selected: usize,
    classifier: usize,
    shown_frame: Option<(usize, Rc<Frame>)>,
    settings: AnalysisSettings,
    draft: SettingsDraft,
    issues: Vec<SettingIssue>,
    worker: Option<WorkerHandle>,
    run_id: u32,
    progress: Option<Progress>,
    paused: bool,
    run_state: String,
    error: Option<String>,
    loading: bool,
    drag: bool,
}

impl AnalyseTab {
    /// Checks that `bytes` is a readable trajectory (header and first frame) and returns its
    /// frame count; on failure the tab keeps what it has.
    fn check(bytes: &[u8]) -> Result<u64, String> {
        let mut reader = HoomdReader::open(Cursor::new(bytes))
            .map_err(|e| format!("this file cannot be read as a GSD trajectory: {e}"))?;
        let frames = reader.frame_count();
        if frames == 0 {
            return Err("the GSD file holds no frames".to_owned());
        }
        reader
            .read_frame(0)
            .map_err(|e| format!("frame 0 cannot be read: {e}"))?;
        Ok(frames)
    }

    fn start(&mut self, ctx: &Context<Self>) {
        self.worker = None;
        self.reports.clear();
        self.selected = 0;
        self.shown_frame = None;
        self.progress = None;
        self.paused = false;
        let Some(t) = &self.trajectory else {
            return;
        };
        self.run_id += 1;
        let id = self.run_id;
        let spec = JobSpec::Analyse(AnalyseSpec {
            settings: self.settings.clone(),
        });
        let callback = ctx.link().callback(move |m| Msg::Worker(id, m));
        match WorkerHandle::start(&spec, t.bytes.as_ref().clone(), callback) {
            Ok(handle) => {
                self.worker = Some(handle);
                self.run_state = "running".to_owned();
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// The frame shown in the 3D view (read from the held bytes on demand).
    fn frame_at(&mut self, k: usize) -> Option<Rc<Frame>> {
        if let Some((at, f)) = &self.shown_frame {
            if *at == k {
                return Some(f.clone());
            }
        }
        let t = self.trajectory.as_ref()?;
        let mut reader = HoomdReader::open(Cursor::new(t.bytes.as_slice())).ok()?;
        match reader.read_frame(k as u64) {
            Ok(f) => {
                let f = Rc::new(f);
                self.shown_frame = Some((k, f.clone()));
                Some(f)
            }
            Err(e) => {
                self.error = Some(format!("frame {k} cannot be read: {e}"));
                None
            }
        }
    }

    fn loaded(&mut self, ctx: &Context<Self>, name: String, bytes: Vec<u8>) {
        match Self::check(&bytes) {
            Ok(frames) => {
                self.error = None;
                self.trajectory = Some(Trajectory {
                    name,
                    bytes: Rc::new(bytes),
                    frames,
                });
                self.start(ctx);
            }
            Err(e) => {
                self.error = Some(format!("{name}: {e}"));
            }
        }
    }

    fn on_worker(&mut self, message: WorkerMessage) {
        match message {
            WorkerMessage::Event(JobEvent::Progress(p), _) => self.progress = Some(p),
            WorkerMessage::Event(JobEvent::Output(JobOutput::Analyse(out)), bytes) => {
                let mut report = *out.report;
                match restore_labels(&mut report, &bytes) {
                    Ok(()) => {
                        let follow =
                            self.reports.is_empty() || self.selected + 1 == self.reports.len();
                        self.reports.push(report);
                        if follow {
                            self.selected = self.reports.len() - 1;
                        }
                    }
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            WorkerMessage::Event(_, _) => {}
            WorkerMessage::Paused => {
                self.paused = true;
                self.run_state = "paused".to_owned();
            }
            WorkerMessage::Resumed => {
                self.paused = false;
                self.run_state = "running".to_owned();
            }
            WorkerMessage::Stopped => {
                self.worker = None;
                self.run_state = format!("stopped after {} frames", self.reports.len());
            }
            WorkerMessage::Finished => {
                self.worker = None;
                self.run_state = format!("done: {} frames", self.reports.len());
            }
            WorkerMessage::Failed(e) => {
                self.worker = None;
                self.run_state = "failed".to_owned();
                self.error = Some(hint(&e));
            }
        }
    }
}

/// The worker's error with a hint on what to change.
fn hint(error: &str) -> String {
    if error.contains("unknown particle type") {
        format!(
            "{error}. Name the file's types in the classifier settings below (large type, \
             classified and neighbour types), then apply."
        )
    } else {
        error.to_owned()
    }
}

fn fig4(labels: &[Label]) -> Colouring {
    Colouring::Fig4(
        labels
            .iter()
            .map(|l| match l {
                Label::Crystalline => Fig4Label::CrystallineLarge,
                Label::Neighbor => Fig4Label::SmallNextToCrystalline,
                Label::Other => Fig4Label::Other,
            })
            .collect(),
    )
}

impl Component for AnalyseTab {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        let settings = AnalysisSettings::default();
        Self {
            trajectory: None,
            reports: Vec::new(),
            selected: 0,
            classifier: 0,
            shown_frame: None,
            draft: SettingsDraft::of(&settings),
            settings,
            issues: Vec::new(),
            worker: None,
            run_id: 0,
            progress: None,
            paused: false,
            run_state: String::new(),
            error: None,
            loading: false,
            drag: false,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            Msg::Files(files) => {
                self.drag = false;
                let Some(file) = files.and_then(|f| f.get(0)) else {
                    return true;
                };
                self.loading = true;
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let name = file.name();
                    let result = load::file_bytes(file).await.map(|b| (name, b));
                    link.send_message(Msg::Loaded(result));
                });
            }
            Msg::Loaded(result) => {
                self.loading = false;
                match result {
                    Ok((name, bytes)) => self.loaded(ctx, name, bytes),
                    Err(e) => self.error = Some(e),
                }
            }
            Msg::ExampleSeeded => {
                self.loading = true;
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = load::fetch_bytes(load::SEEDED_EXAMPLE)
                        .await
                        .map(|b| ("analyse_seeded_alb2.gsd".to_owned(), b));
                    link.send_message(Msg::Loaded(result));
                });
            }
            Msg::ExampleMelting => match load::melting_example() {
                Ok(bytes) => {
                    self.loaded(ctx, "AlB2 crystal, growing noise (lattice)".into(), bytes)
                }
                Err(e) => self.error = Some(e),
            },
            Msg::Worker(id, message) => {
                if id != self.run_id {
                    return false;
                }
                self.on_worker(message);
            }
            Msg::PauseResume => {
                if let Some(w) = &self.worker {
                    if self.paused {
                        w.resume();
                    } else {
                        w.pause();
                    }
                }
            }
            Msg::Stop => {
                if let Some(w) = &self.worker {
                    w.stop();
                    self.run_state = "stopping".to_owned();
                }
            }
            Msg::Select(k) => self.selected = k.min(self.reports.len().saturating_sub(1)),
            Msg::ShowClassifier(c) => self.classifier = c,
            Msg::Edit(edit) => {
                edit.apply(&mut self.draft);
                self.issues = match self.draft.parse(&self.settings) {
                    Ok(_) => Vec::new(),
                    Err(issues) => issues,
                };
            }
            Msg::Apply => match self.draft.parse(&self.settings) {
                Ok(settings) => {
                    self.issues.clear();
                    self.settings = settings;
                    self.classifier = self.classifier.min(self.settings.classifiers.len() - 1);
                    self.error = None;
                    self.start(ctx);
                }
                Err(issues) => self.issues = issues,
            },
            Msg::ResetSettings => {
                self.settings = AnalysisSettings::default();
                self.draft = SettingsDraft::of(&self.settings);
                self.issues.clear();
            }
            Msg::DragOver(on) => self.drag = on,
        }
        if let Some(k) = self.reports.get(self.selected).map(|r| r.frame as usize) {
            let _ = self.frame_at(k);
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <section class="analyse" id="panel-analyse">
                <h2>{ "Analyse" }</h2>
                <p class="lead">{ "Crystalline fractions (AlB₂, NaZn₁₃, fcc), q_l histograms, g(r), S(q) and local density of a GSD trajectory — ours or one HOOMD-blue wrote. Everything runs in your browser." }</p>
                { self.view_source(link) }
                if let Some(e) = &self.error {
                    <p class="analyse-error" role="alert">{ e }</p>
                }
                { self.view_run(link) }
                { self.view_results(link) }
                <details class="analyse-settings">
                    <summary>{ "Classifier settings" }</summary>
                    { form::view(&self.draft, &self.issues, &link.callback(Msg::Edit)) }
                    <div class="form-buttons">
                        <button class="apply" disabled={!self.issues.is_empty() || self.trajectory.is_none()}
                            onclick={link.callback(|_| Msg::Apply)}>{ "Apply and analyse again" }</button>
                        <button onclick={link.callback(|_| Msg::ResetSettings)}>{ "The paper's classifiers" }</button>
                    </div>
                </details>
            </section>
        }
    }
}

impl AnalyseTab {
    fn view_source(&self, link: &yew::html::Scope<Self>) -> Html {
        let ondrop = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::Files(e.data_transfer().and_then(|d| d.files()))
        });
        let ondragover = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::DragOver(true)
        });
        let ondragleave = link.callback(|_: DragEvent| Msg::DragOver(false));
        let onchange = link.callback(|e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Msg::Files(input.files())
        });
        let what = match &self.trajectory {
            Some(t) => format!("{} — {} frames", t.name, t.frames),
            None => "No trajectory yet.".to_owned(),
        };
        html! {
            <div class={classes!("dropzone", self.drag.then_some("dragging"))}
                {ondrop} {ondragover} {ondragleave}>
                <p>{ "Drop a .gsd file here, or " }
                    <label class="file-pick">{ "choose one" }
                        <input type="file" accept=".gsd" {onchange} />
                    </label>
                    { ", or load an example: " }
                    <button class="example-seeded" onclick={link.callback(|_| Msg::ExampleSeeded)}>
                        { "AlB₂ seed in a droplet (our engine)" }</button>
                    <button class="example-melting" onclick={link.callback(|_| Msg::ExampleMelting)}>
                        { "AlB₂ crystal melting (lattice)" }</button>
                </p>
                <p class="source">{ if self.loading { "Reading…".to_owned() } else { what } }</p>
            </div>
        }
    }

    fn view_run(&self, link: &yew::html::Scope<Self>) -> Html {
        let Some(p) = &self.progress else {
            return html! {};
        };
        let running = self.worker.is_some();
        html! {
            <div class="run">
                <progress max={p.total.max(1).to_string()} value={p.done.to_string()}></progress>
                <span class="run-note">{ format!("{} — {}", p.note, self.run_state) }</span>
                if running {
                    <button onclick={link.callback(|_| Msg::PauseResume)}>
                        { if self.paused { "Resume" } else { "Pause" } }</button>
                    <button class="stop" onclick={link.callback(|_| Msg::Stop)}>{ "Stop" }</button>
                }
            </div>
        }
    }

    fn view_results(&self, link: &yew::html::Scope<Self>) -> Html {
        let Some(report) = self.reports.get(self.selected) else {
            return html! {};
        };
        let n = self.reports.len();
        let oninput = link.callback(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Msg::Select(input.value().parse().unwrap_or(0))
        });
        let onchange = link.callback(|e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            Msg::ShowClassifier(s.value().parse().unwrap_or(0))
        });
        let c = self
            .classifier
            .min(report.classifiers.len().saturating_sub(1));
        let summary = report
            .classifiers
            .iter()
            .map(|r| format!("{} {:.1} %", r.name, 100.0 * r.fraction))
            .collect::<Vec<_>>()
            .join(" · ");
        let fraction = Rc::new(charts::fraction_chart(&self.reports, Some(report.frame)));
        let rules = (0..report.classifiers.get(c).map_or(0, |x| x.rules.len()))
            .filter_map(|r| charts::rule_chart(report, c, r).map(|ch| (r, Rc::new(ch))));
        let view3d = report.classifiers.get(c).and_then(|cl| {
            let frame = self
                .shown_frame
                .as_ref()
                .filter(|(k, _)| *k as u64 == report.frame)?
                .1
                .clone();
            (cl.labels.len() == frame.len()).then(|| (frame, Rc::new(fig4(&cl.labels))))
        });
        html! {
            <div class="results">
                <div class="frame-bar">
                    <label>{ "frame " }
                        <input class="frame-slider" type="range" min="0" max={(n - 1).to_string()}
                            value={self.selected.to_string()} {oninput} />
                    </label>
                    <span class="frame-label">{ format!("frame {} of {} analysed (step {}, {} particles, {} large)", report.frame, n, report.step, report.particles, report.large) }</span>
                    <label>{ " classifier " }
                        <select class="classifier-pick" {onchange}>
                            { for report.classifiers.iter().enumerate().map(|(i, r)| html! {
                                <option value={i.to_string()} selected={i == c}>{ &r.name }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <p class="fractions">{ summary }</p>
                <div class="plots">
                    <div class="analyse-plot fraction-plot"><PlotView chart={fraction} file_stem="crystalline-fraction" /></div>
                    { for rules.map(|(r, chart)| html! {
                        <div class="analyse-plot rule-plot"><PlotView chart={chart} file_stem={format!("frame{}-{}-rule{r}", report.frame, report.classifiers[c].name)} /></div>
                    }) }
                    <div class="analyse-plot rdf-plot"><PlotView chart={Rc::new(charts::rdf_chart(report))} file_stem={format!("frame{}-gr", report.frame)} /></div>
                    <div class="analyse-plot sq-plot">
                        <PlotView chart={Rc::new(charts::sq_chart(report))} file_stem={format!("frame{}-sq", report.frame)} />
                        <p class="method">{ &report.structure_factor_method }</p>
                    </div>
                    <div class="analyse-plot density-plot"><PlotView chart={Rc::new(charts::density_chart(report))} file_stem={format!("frame{}-local-density", report.frame)} /></div>
                </div>
                <div class="view3d-box">
                    <h3>{ format!("Frame {} coloured as Fig. 4 by {}", report.frame, report.classifiers.get(c).map_or("", |x| x.name.as_str())) }</h3>
                    { match view3d {
                        Some((frame, colouring)) => html! {
                            <ParticleView {frame} {colouring} height={420}
                                png_name={AttrValue::from(format!("frame{}-fig4.png", report.frame))} />
                        },
                        None => html! { <p>{ "Loading the frame…" }</p> },
                    } }
                </div>
            </div>
        }
    }
}
