//! The Simulate tab (issue #6): a preset picker, every recipe parameter editable
//! ([`crate::simulate::form`]), Run / Pause / Resume / Stop of the simulation job in the Web
//! Worker, progress with steps per second and time remaining, live plots, the 3D view
//! coloured as in Fig. 4b,c, by species or by q_l, downloads (GSD, CSV, PNG), a Share link
//! and the fingerprint when a run ends. The session (form, rows so far and the last frame)
//! survives a reload; a link restores its set-up, a bad one is refused with a message.
//!
//! The page stays responsive during a 27,000-particle run (docs/simulate.md, Benchmark): the
//! worker sends frames as transferred bytes; progress and log rows re-render the tab at most
//! every [`RENDER_EVERY_MS`], one chart at a time is redrawn at most every
//! [`CHART_EVERY_MS`] (a new SVG costs the page a parse, a style and a layout pass), the
//! results are stored at most every [`SAVE_EVERY_MS`], and the 3D view and the plots sit
//! behind serial numbers ([`memo`]) so a re-render does not compare them point by point.

mod memo;
mod plots;
mod session;

use std::rc::Rc;

use yew::prelude::*;

use crate::app::kit::download::{save_bytes, save_text};
use crate::app::worker::{WorkerHandle, WorkerMessage};
use crate::jobs::simulate::{FrameData, SampleRow, SimulateOutput, SimulateSpec};
use crate::jobs::{JobEvent, JobOutput, JobSpec};
use crate::md::seed_pace::PreparationStage;
use crate::model::Frame;
use crate::simulate::form::{field_help, FieldError, RecipeForm, FIELD_GROUPS};
use crate::simulate::{preset, PresetSize, Recipe, PRESET_IDS};
use crate::view::{ColourMap, Colouring};
use memo::{PlotSlot, SimParticles, SimPlot};
use session::{FormState, Results};

/// Least time between two re-renders for progress and log rows during a run (ms).
const RENDER_EVERY_MS: f64 = 250.0;
/// Least time between two chart redraws during a run (ms); one chart is redrawn at a time.
const CHART_EVERY_MS: f64 = 300.0;
/// Least time between two saves of the results during a run (ms).
const SAVE_EVERY_MS: f64 = 5_000.0;
/// Least time between two saves of the last frame during a run (ms).
const FRAME_SAVE_EVERY_MS: f64 = 15_000.0;

/// Messages of [`SimulateTab`].
pub enum Msg {
    /// A preset was picked.
    Preset(String),
    /// The size was picked (`small` or `paper`).
    Size(String),
    /// A field was edited.
    Edit(String, String),
    /// Run the set-up.
    Run,
    /// Pause the run.
    Pause,
    /// Resume the run.
    Resume,
    /// Stop the run.
    Stop,
    /// The worker said something.
    Worker(WorkerMessage),
    /// Colour mode of the view.
    Colour(String),
    /// Make the share link.
    Share,
    /// Download the trajectory.
    Gsd,
    /// Download the log.
    Csv,
}

/// How soon a message's effect must be on screen.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Render {
    /// Nothing visible changed.
    No,
    /// Run data (progress, rows, frames): within [`RENDER_EVERY_MS`].
    Soon,
    /// Now (a user action or a change of state).
    Now,
}

/// The frame on screen and its serial number.
struct Shown {
    serial: u64,
    frame: Rc<Frame>,
    colouring: Rc<Colouring>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RunState {
    Idle,
    Starting,
    Running,
    Paused,
    Ended,
}

/// The Simulate tab.
pub struct SimulateTab {
    form: RecipeForm,
    preset_id: String,
    size: PresetSize,
    worker: Option<WorkerHandle>,
    state: RunState,
    rows: Vec<SampleRow>,
    frames: Vec<FrameData>,
    shown: Option<Shown>,
    /// The last frame (or the colouring) changed since `shown` was built.
    view_due: bool,
    /// Serial number of the next `Shown`.
    serial: u64,
    /// The charts on screen, each with its version and the number of rows it shows.
    charts: Vec<PlotSlot>,
    /// Serial number of the next chart version.
    chart_serial: u64,
    /// When a chart was last redrawn.
    charts_at: f64,
    rendered_at: f64,
    /// What has changed since it was last stored, and when the results and frame were stored.
    form_dirty: bool,
    results_dirty: bool,
    frame_dirty: bool,
    results_saved_at: f64,
    frame_saved_at: f64,
    /// Why part of the session will not survive a reload (storage full), if it will not.
    storage_note: Option<String>,
    /// Names of the run's species (for the view's legend).
    species_names: Vec<String>,
    colour: String,
    done: u64,
    total: u64,
    rate: Option<f64>,
    last_progress: Option<(f64, u64)>,
    /// The stage of the initial state's preparation while it lasts (a seeded start's fluid,
    /// lattice search and insertion); `done` and `total` then count its work in steps of
    /// the fluid.
    preparing: Option<PreparationStage>,
    fingerprint: Option<String>,
    /// Where the worker's run executes (device, GPU adapter), as the job last reported.
    engine: Option<(crate::gpu::Device, Option<String>)>,
    /// The device driver's notices for this run (e.g. a WebGPU fall-back to the CPU).
    notices: Vec<String>,
    message: Option<(bool, String)>,
    share: Option<String>,
    run_recipe: Option<Recipe>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn page_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

fn default_form() -> (String, RecipeForm) {
    let id = "seed-alb2-narrow".to_owned();
    let form = preset(&id, PresetSize::Small)
        .and_then(|p| RecipeForm::new(&p.recipe).ok())
        .unwrap_or_default();
    (id, form)
}

impl SimulateTab {
    fn view_frame(&self, f: &FrameData) -> (Rc<Frame>, Rc<Colouring>) {
        let mut frame = f.frame();
        let names: Vec<String> = if self.species_names.is_empty() {
            vec!["L".into(), "S".into()]
        } else {
            self.species_names.clone()
        };
        frame.typeid = f.species.iter().map(|&s| u32::from(s)).collect();
        frame.types = names;
        let colouring = match self.colour.as_str() {
            "species" => Colouring::Species,
            "q" => Colouring::Scalar {
                values: f.q.iter().map(|&q| f64::from(q)).collect(),
                map: ColourMap::Viridis,
                range: Some((0.0, 0.6)),
            },
            _ => Colouring::Fig4(f.fig4_labels()),
        };
        (Rc::new(frame), Rc::new(colouring))
    }

    /// A run is under way (not paused): renders and saves are throttled.
    fn busy(&self) -> bool {
        matches!(self.state, RunState::Starting | RunState::Running)
    }

    /// Rows every chart shows (the fewest).
    fn plotted_rows(&self) -> usize {
        self.charts.iter().map(|c| c.rows).min().unwrap_or(0)
    }

    /// Brings the view and the charts up to date; during a run one stale chart at most every
    /// [`CHART_EVERY_MS`].
    fn refresh(&mut self, now: f64) {
        if self.view_due {
            self.view_due = false;
            let view = self.frames.last().map(|f| self.view_frame(f));
            self.shown = view.map(|(frame, colouring)| {
                self.serial += 1;
                Shown {
                    serial: self.serial,
                    frame,
                    colouring,
                }
            });
        }
        let n = self.rows.len();
        let stale: Vec<usize> = (0..self.charts.len())
            .filter(|&i| self.charts[i].rows != n)
            .collect();
        let busy = self.busy();
        if !stale.is_empty() && (!busy || now - self.charts_at >= CHART_EVERY_MS) {
            // During a run: the chart that has waited longest (fewest rows, then first).
            let redraw: Vec<usize> = if busy {
                stale
                    .iter()
                    .copied()
                    .min_by_key(|&i| self.charts[i].rows)
                    .into_iter()
                    .collect()
            } else {
                stale
            };
            for (i, stem, chart) in plots::numbered_charts(&redraw, &self.rows) {
                if let Some(slot) = self.charts.get_mut(i) {
                    self.chart_serial += 1;
                    *slot = PlotSlot {
                        stem,
                        version: self.chart_serial,
                        chart: Rc::new(chart),
                        rows: n,
                    };
                }
            }
            self.charts_at = now;
        }
    }

    /// Stores what changed: the form at once, the results and the last frame at most every
    /// [`SAVE_EVERY_MS`] and [`FRAME_SAVE_EVERY_MS`] during a run, at once otherwise.
    fn persist(&mut self, now: f64) {
        let busy = self.busy();
        if self.form_dirty {
            self.form_dirty = false;
            if let Err(e) = FormState::of(self).store() {
                self.storage_note = Some(e);
            }
        }
        if self.results_dirty && (!busy || now - self.results_saved_at >= SAVE_EVERY_MS) {
            self.results_dirty = false;
            self.results_saved_at = now;
            match Results::of(self).store() {
                Ok(()) => {}
                Err(e) => {
                    self.storage_note = Some(e);
                    // The results went in by dropping the frame, or did not go in at all.
                    self.frame_dirty = false;
                }
            }
        }
        if self.frame_dirty && (!busy || now - self.frame_saved_at >= FRAME_SAVE_EVERY_MS) {
            self.frame_dirty = false;
            self.frame_saved_at = now;
            if let Some(f) = self.frames.last() {
                if let Err(e) = session::store_frame(f) {
                    self.storage_note = Some(e);
                }
            }
        }
    }

    fn errors(&self) -> Vec<FieldError> {
        self.form.assemble().err().unwrap_or_default()
    }

    fn load_recipe(&mut self, recipe: &Recipe) {
        if let Ok(form) = RecipeForm::new(recipe) {
            self.form = form;
            self.preset_id = recipe.preset.clone();
        }
    }

    /// Handles one message and says how soon the page must show its effect.
    fn handle(&mut self, ctx: &Context<Self>, msg: Msg) -> Render {
        match msg {
            Msg::Preset(id) | Msg::Size(id) if id.is_empty() => return Render::No,
            Msg::Preset(id) => {
                if let Some(p) = preset(&id, self.size) {
                    self.load_recipe(&p.recipe);
                    self.message = Some((false, p.description.to_owned()));
                    self.form_dirty = true;
                }
            }
            Msg::Size(s) => {
                self.size = if s == "paper" {
                    PresetSize::Paper
                } else {
                    PresetSize::Small
                };
                if let Some(p) = preset(&self.preset_id.clone(), self.size) {
                    self.load_recipe(&p.recipe);
                }
                self.form_dirty = true;
            }
            Msg::Edit(path, text) => {
                self.form.set(&path, &text);
                self.share = None;
                self.form_dirty = true;
            }
            Msg::Run => {
                let recipe = match self.form.assemble() {
                    Ok(r) => r,
                    Err(_) => return Render::Now,
                };
                let mut confirmed = false;
                if recipe.needs_confirmation() {
                    let ok = web_sys::window()
                        .and_then(|w| {
                            w.confirm_with_message(&format!(
                                "{} particles: this run may take hours and much memory. Run it?",
                                recipe.particles()
                            ))
                            .ok()
                        })
                        .unwrap_or(false);
                    if !ok {
                        return Render::Now;
                    }
                    confirmed = true;
                }
                let spec = JobSpec::Simulate(Box::new(SimulateSpec {
                    recipe: recipe.clone(),
                    confirmed,
                    device: crate::app::preferred_device(),
                    lose_gpu_after_steps: crate::app::debug_lose_gpu_at_step(),
                }));
                self.rows.clear();
                self.frames.clear();
                self.view_due = true;
                self.species_names = recipe.run.species.iter().map(|s| s.name.clone()).collect();
                self.results_dirty = true;
                self.frame_dirty = false;
                self.storage_note = None;
                session::forget_frame();
                self.fingerprint = None;
                self.engine = None;
                self.notices.clear();
                self.done = 0;
                self.total = recipe.total_steps();
                self.rate = None;
                self.last_progress = None;
                self.preparing = None;
                self.run_recipe = Some(recipe);
                match WorkerHandle::start(&spec, Vec::new(), ctx.link().callback(Msg::Worker)) {
                    Ok(h) => {
                        self.worker = Some(h);
                        self.state = RunState::Starting;
                        self.message = Some((false, "Building the initial state…".into()));
                    }
                    Err(e) => self.message = Some((true, e)),
                }
            }
            Msg::Pause => {
                if let Some(w) = &self.worker {
                    w.pause();
                }
            }
            Msg::Resume => {
                if let Some(w) = &self.worker {
                    w.resume();
                }
            }
            Msg::Stop => {
                if let Some(w) = &self.worker {
                    w.stop();
                }
            }
            Msg::Worker(m) => match m {
                WorkerMessage::Event(JobEvent::Progress(p), _) => {
                    let t = now_ms();
                    if let Some((t0, d0)) = self.last_progress {
                        if t > t0 + 250.0 && p.done > d0 {
                            let r = (p.done - d0) as f64 / ((t - t0) / 1000.0);
                            self.rate = Some(self.rate.map_or(r, |old| 0.7 * old + 0.3 * r));
                            self.last_progress = Some((t, p.done));
                        }
                    } else {
                        self.last_progress = Some((t, p.done));
                    }
                    self.done = p.done;
                    self.total = p.total;
                    if self.state == RunState::Starting {
                        self.state = RunState::Running;
                        self.message = None;
                        return Render::Now;
                    }
                    return Render::Soon;
                }
                WorkerMessage::Event(JobEvent::Output(JobOutput::Simulate(o)), bytes) => match *o {
                    SimulateOutput::Preparing(stage) => self.preparing = Some(stage),
                    SimulateOutput::Started { total_steps, .. } => {
                        // The run's steps from here: the preparation's rate is not theirs.
                        self.preparing = None;
                        self.done = 0;
                        self.total = total_steps;
                        self.rate = None;
                        self.last_progress = None;
                    }
                    SimulateOutput::Samples(rows) => {
                        self.rows.extend(rows);
                        self.results_dirty = true;
                        return Render::Soon;
                    }
                    SimulateOutput::Frame(meta) => match FrameData::from_parts(meta, &bytes) {
                        Ok(f) => {
                            self.frames.push(f);
                            self.view_due = true;
                            self.frame_dirty = true;
                            return Render::Soon;
                        }
                        Err(e) => self.notices.push(format!("A frame was lost: {e}.")),
                    },
                    SimulateOutput::Engine { device, adapter } => {
                        self.engine = Some((device, adapter));
                    }
                    SimulateOutput::Notice(n) => self.notices.push(n),
                    SimulateOutput::Finished {
                        fingerprint,
                        device,
                        ..
                    } => {
                        // Only a CPU run reproduces the share link's fingerprint.
                        self.fingerprint = Some(if device == crate::gpu::Device::Gpu {
                            format!(
                                "{fingerprint} (GPU run, single precision: not the share link's \
                                 CPU fingerprint)"
                            )
                        } else {
                            fingerprint
                        });
                        self.results_dirty = true;
                    }
                },
                WorkerMessage::Event(_, _) => return Render::No,
                WorkerMessage::Paused => self.state = RunState::Paused,
                WorkerMessage::Resumed => self.state = RunState::Running,
                WorkerMessage::Stopped => {
                    self.state = RunState::Ended;
                    self.message = Some((
                        false,
                        match self.preparing.take() {
                            Some(stage) => format!(
                                "Stopped while preparing the initial state ({}).",
                                stage.describe()
                            ),
                            None => format!("Stopped at step {}.", self.done),
                        },
                    ));
                    self.results_dirty = true;
                }
                WorkerMessage::Finished => {
                    self.state = RunState::Ended;
                    self.message = Some((false, "The run is complete.".into()));
                    self.results_dirty = true;
                }
                WorkerMessage::Failed(e) => {
                    self.state = RunState::Ended;
                    // The job sent the last good state's row and frame before failing.
                    let kept = match self.frames.last() {
                        Some(f) => format!(
                            " The view shows step {}, the last good state; the GSD and CSV \
                             downloads hold the run up to it.",
                            f.step
                        ),
                        None => String::new(),
                    };
                    self.message = Some((true, format!("The run failed: {e}.{kept}")));
                    self.results_dirty = true;
                }
            },
            Msg::Colour(c) => {
                self.colour = c;
                self.view_due = true;
            }
            Msg::Share => match self.form.assemble() {
                Ok(r) => match r.to_fragment() {
                    Ok(frag) => {
                        let base = page_url();
                        let base = base.split('#').next().unwrap_or_default().to_owned();
                        self.share = Some(format!("{base}{frag}"));
                    }
                    Err(e) => self.message = Some((true, e.to_string())),
                },
                Err(_) => {
                    self.message =
                        Some((true, "Fix the highlighted values before sharing.".into()));
                }
            },
            Msg::Gsd => {
                let name = self
                    .run_recipe
                    .as_ref()
                    .map_or("trajectory.gsd".into(), |r| r.run.output.trajectory.clone());
                let result = (|| {
                    let mut w =
                        crate::io::gsd::HoomdWriter::create(std::io::Cursor::new(Vec::new()))
                            .map_err(|e| e.to_string())?;
                    for f in &self.frames {
                        w.append(&f.frame()).map_err(|e| e.to_string())?;
                    }
                    let bytes = w.finish().map_err(|e| e.to_string())?.into_inner();
                    save_bytes(&name, "application/octet-stream", &bytes)
                })();
                if let Err(e) = result {
                    self.message = Some((true, e));
                }
            }
            Msg::Csv => {
                let name = self
                    .run_recipe
                    .as_ref()
                    .map_or("log.csv".into(), |r| r.run.output.log.clone());
                let mut text = String::from(SampleRow::CSV_HEADER);
                for r in &self.rows {
                    text.push('\n');
                    text.push_str(&r.csv_row());
                }
                text.push('\n');
                if let Err(e) = save_text(&name, "text/csv", &text) {
                    self.message = Some((true, e));
                }
            }
        }
        Render::Now
    }
}

impl Component for SimulateTab {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        let (id, form) = default_form();
        let mut tab = Self {
            form,
            preset_id: id,
            size: PresetSize::Small,
            worker: None,
            state: RunState::Idle,
            rows: Vec::new(),
            frames: Vec::new(),
            shown: None,
            view_due: false,
            serial: 0,
            charts: plots::charts(&[])
                .into_iter()
                .enumerate()
                .map(|(i, (stem, chart))| PlotSlot {
                    stem,
                    version: i as u64,
                    chart: Rc::new(chart),
                    rows: 0,
                })
                .collect(),
            chart_serial: 100,
            charts_at: 0.0,
            rendered_at: 0.0,
            form_dirty: false,
            results_dirty: false,
            frame_dirty: false,
            results_saved_at: 0.0,
            frame_saved_at: 0.0,
            storage_note: None,
            species_names: Vec::new(),
            colour: "fig4".into(),
            done: 0,
            total: 0,
            rate: None,
            last_progress: None,
            preparing: None,
            fingerprint: None,
            engine: None,
            notices: Vec::new(),
            message: None,
            share: None,
            run_recipe: None,
        };
        let url = page_url();
        if url.contains("?r=") || url.contains("&r=") {
            match Recipe::from_link(&url) {
                Ok(recipe) => {
                    tab.load_recipe(&recipe);
                    tab.message = Some((
                        false,
                        "Set-up restored from the link: press Run to reproduce the run.".into(),
                    ));
                }
                Err(e) => {
                    tab.message = Some((
                        true,
                        format!("This link could not be opened: {e}. The default set-up is shown instead."),
                    ));
                }
            }
        } else if let Some(s) = FormState::load() {
            s.restore(&mut tab);
            if let Some(r) = Results::load() {
                r.restore(&mut tab);
            }
            if let Some(f) = session::load_frame() {
                tab.frames.push(f);
                tab.view_due = true;
            }
        }
        tab.refresh(now_ms());
        tab
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        let render = self.handle(ctx, msg);
        let now = now_ms();
        self.persist(now);
        match render {
            Render::No => false,
            Render::Soon if self.busy() && now - self.rendered_at < RENDER_EVERY_MS => false,
            Render::Soon | Render::Now => {
                self.refresh(now);
                self.rendered_at = now;
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let errors = self.errors();
        let running = matches!(
            self.state,
            RunState::Starting | RunState::Running | RunState::Paused
        );
        let blocked = !errors.is_empty() || running;
        let general: Vec<&FieldError> = errors.iter().filter(|e| e.path.is_empty()).collect();
        let fraction = if self.total > 0 {
            self.done as f64 / self.total as f64
        } else {
            0.0
        };
        let remaining = self.rate.filter(|r| *r > 0.0).map(|r| {
            let s = (self.total.saturating_sub(self.done)) as f64 / r;
            if s > 3600.0 {
                format!("{:.1} h left", s / 3600.0)
            } else if s > 90.0 {
                format!("{:.0} min left", s / 60.0)
            } else {
                format!("{s:.0} s left")
            }
        });
        let on_preset = link.callback(|e: Event| {
            Msg::Preset(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        });
        let on_size = link.callback(|e: Event| {
            Msg::Size(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        });
        let on_colour = link.callback(|e: Event| {
            Msg::Colour(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        });
        let field = |f: &crate::simulate::form::FormField| {
            let (label, unit, help) = field_help(&f.path);
            let err = errors.iter().find(|e| e.path == f.path);
            let path = f.path.clone();
            let oninput = link.callback(move |e: InputEvent| {
                Msg::Edit(
                    path.clone(),
                    e.target_unchecked_into::<web_sys::HtmlInputElement>()
                        .value(),
                )
            });
            let id = format!("sim-{}", f.path.replace(['.', '[', ']'], "-"));
            html! {
                <div class={classes!("sim-field", err.map(|_| "invalid"))}>
                    <label for={id.clone()} title={help}>
                        <span class="sim-path">{ f.path.trim_start_matches("run.") }</span>
                        { if label.is_empty() { html!{} } else { html!{ <span class="sim-label">{ label }</span> } } }
                    </label>
                    <input id={id} type="text" value={f.text.clone()} {oninput} disabled={running}
                        aria-invalid={err.is_some().to_string()} inputmode={if f.numeric {"decimal"} else {"text"}} />
                    <span class="sim-unit">{ unit }</span>
                    <small class="sim-help">{ help }</small>
                    if let Some(e) = err { <small class="sim-error" role="alert">{ e.message.clone() }</small> }
                </div>
            }
        };
        let groups = self.form.grouped();
        let fieldsets = FIELD_GROUPS
            .iter()
            .zip(groups)
            .map(|((id, title), members)| {
                if members.is_empty() {
                    return html! {};
                }
                html! {
                    <fieldset id={format!("sim-group-{id}")} class="sim-group">
                        <legend>{ *title }</legend>
                        <div class="sim-fields">{ for members.into_iter().map(field) }</div>
                    </fieldset>
                }
            });
        html! {
            <section id="panel-simulate" class="simulate">
                <h2>{ "Simulate" }</h2>
                <p class="sim-intro">{ "Self-assembly of a binary Mie mixture (large L and small S nanocrystals), after the paper's Figs. 3 and 4. Pick a set-up, adjust any value, press Run. The simulation runs in a Web Worker, on WebGPU when the browser offers it, else on the CPU (choose with the engine switch in the status bar). A CPU run is bit-reproducible from its share link; a GPU run is single precision." }</p>
                <div class="sim-top">
                    <label>{ "Set-up " }
                        <select id="sim-preset" onchange={on_preset} disabled={running}>
                            { for PRESET_IDS.iter().filter_map(|id| preset(id, PresetSize::Small)).map(|p| html! {
                                <option value={p.id} selected={p.id == self.preset_id}>{ p.title }</option>
                            }) }
                        </select>
                    </label>
                    <label>{ "Size " }
                        <select id="sim-size" onchange={on_size} disabled={running}>
                            <option value="small" selected={self.size == PresetSize::Small}>{ "small (minutes)" }</option>
                            <option value="paper" selected={self.size == PresetSize::Paper}>{ "paper: 27,000 particles (hours)" }</option>
                        </select>
                    </label>
                    <button id="sim-run" onclick={link.callback(|_| Msg::Run)} disabled={blocked}>{ "Run" }</button>
                    if self.state == RunState::Paused {
                        <button id="sim-resume" onclick={link.callback(|_| Msg::Resume)}>{ "Resume" }</button>
                    } else {
                        <button id="sim-pause" onclick={link.callback(|_| Msg::Pause)} disabled={!running}>{ "Pause" }</button>
                    }
                    <button id="sim-stop" onclick={link.callback(|_| Msg::Stop)} disabled={!running}>{ "Stop" }</button>
                    <button id="sim-share" onclick={link.callback(|_| Msg::Share)}>{ "Share" }</button>
                </div>
                if let Some((bad, m)) = &self.message {
                    <p id="sim-message" class={classes!("sim-message", bad.then_some("error"))} role="status">{ m.clone() }</p>
                }
                if let Some(s) = &self.share {
                    <p class="sim-share">{ "Link to this set-up: " }<input id="sim-share-link" readonly=true value={s.clone()} /></p>
                }
                if !general.is_empty() {
                    <ul class="sim-problems">{ for general.iter().map(|e| html!{ <li class="sim-error">{ e.message.clone() }</li> }) }</ul>
                }
                <div class="sim-progress">
                    <progress id="sim-progress" max="1" value={fraction.to_string()}></progress>
                    <span id="sim-steps">{
                        match self.preparing {
                            Some(stage) => format!(
                                "preparing the initial state: {} ({:.0} %)",
                                stage.describe(),
                                100.0 * fraction
                            ),
                            None => format!("step {} of {}", self.done, self.total),
                        }
                    }</span>
                    <span id="sim-rate">{
                        match (self.preparing, self.rate) {
                            (Some(_), Some(r)) => format!("{r:.0} fluid steps/s"),
                            (None, Some(r)) => format!("{r:.0} steps/s"),
                            (_, None) => String::new(),
                        }
                    }</span>
                    <span id="sim-remaining">{ remaining.unwrap_or_default() }</span>
                </div>
                if let Some((device, adapter)) = &self.engine {
                    <p id="sim-engine" class="sim-engine">{
                        match (device, adapter) {
                            (crate::gpu::Device::Gpu, Some(a)) => format!("Running on WebGPU ({a})"),
                            (crate::gpu::Device::Gpu, None) => "Running on WebGPU".to_owned(),
                            (crate::gpu::Device::Cpu, _) => "Running on the CPU".to_owned(),
                        }
                    }</p>
                }
                if !self.notices.is_empty() {
                    <ul id="sim-notices" class="sim-notices" role="status">{
                        for self.notices.iter().map(|n| html!{ <li>{ n.clone() }</li> })
                    }</ul>
                }
                if let Some(fp) = &self.fingerprint {
                    <p id="sim-fingerprint" class="sim-fingerprint">{ format!("fingerprint: {fp}") }</p>
                }
                if let Some(note) = &self.storage_note {
                    <p id="sim-storage" class="sim-storage" role="status">{ note.clone() }</p>
                }
                <div class="sim-main">
                    <div class="sim-view">
                        <label>{ "Colour " }
                            <select id="sim-colour" onchange={on_colour}>
                                <option value="fig4" selected={self.colour == "fig4"}>{ "Fig. 4: crystalline L blue, S next to them pink" }</option>
                                <option value="species" selected={self.colour == "species"}>{ "by species" }</option>
                                <option value="q" selected={self.colour == "q"}>{ "by q_l (0–0.6)" }</option>
                            </select>
                        </label>
                        { match &self.shown {
                            Some(s) => html! {
                                <>
                                    <p id="sim-frame-step" class="sim-frame-step">{ format!("frame at step {}", s.frame.step) }</p>
                                    <SimParticles serial={s.serial} frame={s.frame.clone()} colouring={s.colouring.clone()} />
                                </>
                            },
                            None => html! { <p class="sim-empty">{ "The particles appear here when a run starts." }</p> },
                        } }
                        <div class="sim-downloads">
                            <button id="sim-gsd" onclick={link.callback(|_| Msg::Gsd)} disabled={self.frames.is_empty()}>{ "Download GSD trajectory" }</button>
                            <button id="sim-csv" onclick={link.callback(|_| Msg::Csv)} disabled={self.rows.is_empty()}>{ "Download CSV log" }</button>
                        </div>
                    </div>
                    <div class="sim-plots" id="sim-plots" data-rows={self.rows.len().to_string()}
                        data-plotted={self.plotted_rows().to_string()}>
                        { for self.charts.iter().map(|c| html! {
                            <SimPlot version={c.version} stem={c.stem} chart={c.chart.clone()} />
                        }) }
                    </div>
                </div>
                <details class="sim-form" open=true>
                    <summary>{ "Parameters (hover a name for its meaning; every value is kept as typed)" }</summary>
                    { for fieldsets }
                </details>
            </section>
        }
    }
}
