//! The Simulate tab (issue #6): a preset picker, every recipe parameter editable
//! ([`crate::simulate::form`]), Run / Pause / Resume / Stop of the simulation job in the Web
//! Worker, progress with steps per second and time remaining, live plots, the 3D view
//! coloured as in Fig. 4b,c, by species or by q_l, downloads (GSD, CSV, PNG), a Share link
//! and the fingerprint when a run ends. The session (form and rows so far) survives a
//! reload; a link restores its set-up, a bad one is refused with a message.

mod plots;
mod session;

use std::rc::Rc;

use yew::prelude::*;

use crate::app::kit::download::{save_bytes, save_text};
use crate::app::kit::PlotView;
use crate::app::view3d::ParticleView;
use crate::app::worker::{WorkerHandle, WorkerMessage};
use crate::jobs::simulate::{FrameData, SampleRow, SimulateOutput, SimulateSpec};
use crate::jobs::{JobEvent, JobOutput, JobSpec};
use crate::model::Frame;
use crate::simulate::form::{field_help, FieldError, RecipeForm};
use crate::simulate::{preset, PresetSize, Recipe, PRESET_IDS};
use crate::view::{ColourMap, Colouring};
use session::Session;

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
    shown: Option<(Rc<Frame>, Rc<Colouring>)>,
    colour: String,
    done: u64,
    total: u64,
    rate: Option<f64>,
    last_progress: Option<(f64, u64)>,
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
        let names: Vec<String> = self
            .run_recipe
            .as_ref()
            .map(|r| r.run.species.iter().map(|s| s.name.clone()).collect())
            .unwrap_or_else(|| vec!["L".into(), "S".into()]);
        frame.typeid = f.species.iter().map(|&s| u32::from(s)).collect();
        frame.types = names;
        let colouring = match self.colour.as_str() {
            "species" => Colouring::Species,
            "q" => Colouring::Scalar {
                values: f.q.0.iter().map(|&q| f64::from(q)).collect(),
                map: ColourMap::Viridis,
                range: Some((0.0, 0.6)),
            },
            _ => Colouring::Fig4(f.fig4_labels()),
        };
        (Rc::new(frame), Rc::new(colouring))
    }

    fn save(&self) {
        let s = Session::of(self);
        s.store();
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
            colour: "fig4".into(),
            done: 0,
            total: 0,
            rate: None,
            last_progress: None,
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
        } else if let Some(s) = Session::load() {
            s.restore(&mut tab);
        }
        tab
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            Msg::Preset(id) | Msg::Size(id) if id.is_empty() => return false,
            Msg::Preset(id) => {
                if let Some(p) = preset(&id, self.size) {
                    self.load_recipe(&p.recipe);
                    self.message = Some((false, p.description.to_owned()));
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
            }
            Msg::Edit(path, text) => {
                self.form.set(&path, &text);
                self.share = None;
            }
            Msg::Run => {
                let recipe = match self.form.assemble() {
                    Ok(r) => r,
                    Err(_) => return true,
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
                        return true;
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
                self.shown = None;
                self.fingerprint = None;
                self.engine = None;
                self.notices.clear();
                self.done = 0;
                self.total = recipe.total_steps();
                self.rate = None;
                self.last_progress = None;
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
                    }
                }
                WorkerMessage::Event(JobEvent::Output(JobOutput::Simulate(o)), _) => match *o {
                    SimulateOutput::Started { total_steps, .. } => self.total = total_steps,
                    SimulateOutput::Samples(rows) => {
                        self.rows.extend(rows);
                        self.save();
                    }
                    SimulateOutput::Frame(f) => {
                        self.shown = Some(self.view_frame(&f));
                        self.frames.push(f);
                    }
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
                        self.save();
                    }
                },
                WorkerMessage::Event(_, _) => return false,
                WorkerMessage::Paused => self.state = RunState::Paused,
                WorkerMessage::Resumed => self.state = RunState::Running,
                WorkerMessage::Stopped => {
                    self.state = RunState::Ended;
                    self.message = Some((false, format!("Stopped at step {}.", self.done)));
                    self.save();
                }
                WorkerMessage::Finished => {
                    self.state = RunState::Ended;
                    self.message = Some((false, "The run is complete.".into()));
                    self.save();
                }
                WorkerMessage::Failed(e) => {
                    self.state = RunState::Ended;
                    self.message = Some((true, format!("The run failed: {e}")));
                }
            },
            Msg::Colour(c) => {
                self.colour = c;
                if let Some(f) = self.frames.last() {
                    self.shown = Some(self.view_frame(f));
                }
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
        if matches!(self.state, RunState::Idle | RunState::Ended) {
            self.save();
        }
        true
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
        let fields = self.form.fields.iter().map(|f| {
            let (label, unit, help) = field_help(&f.path);
            let err = errors.iter().find(|e| e.path == f.path);
            let path = f.path.clone();
            let oninput = link.callback(move |e: InputEvent| {
                Msg::Edit(
                    path.clone(),
                    e.target_unchecked_into::<web_sys::HtmlInputElement>().value(),
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
        });
        let charts = plots::charts(&self.rows);
        html! {
            <section id="panel-simulate" class="simulate">
                <h2>{ "Simulate" }</h2>
                <p class="sim-intro">{ "Self-assembly of a binary Mie mixture (large L and small S nanocrystals), after the paper's Figs. 3 and 4. Pick a set-up, adjust any value, press Run: the simulation runs in a Web Worker on the CPU, bit-reproducible from its share link." }</p>
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
                    <span id="sim-steps">{ format!("step {} of {}", self.done, self.total) }</span>
                    <span id="sim-rate">{ self.rate.map_or(String::new(), |r| format!("{r:.0} steps/s")) }</span>
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
                            Some((frame, colouring)) => html! {
                                <ParticleView frame={frame.clone()} colouring={colouring.clone()} height={420} png_name="bnsl-simulate.png" />
                            },
                            None => html! { <p class="sim-empty">{ "The particles appear here when a run starts." }</p> },
                        } }
                        <div class="sim-downloads">
                            <button id="sim-gsd" onclick={link.callback(|_| Msg::Gsd)} disabled={self.frames.is_empty()}>{ "Download GSD trajectory" }</button>
                            <button id="sim-csv" onclick={link.callback(|_| Msg::Csv)} disabled={self.rows.is_empty()}>{ "Download CSV log" }</button>
                        </div>
                    </div>
                    <div class="sim-plots" id="sim-plots" data-rows={self.rows.len().to_string()}>
                        { for charts.into_iter().map(|(stem, chart)| html! {
                            <PlotView chart={Rc::new(chart)} width={480} height={260} file_stem={stem} />
                        }) }
                    </div>
                </div>
                <details class="sim-form" open=true>
                    <summary>{ "Parameters (hover a name for its meaning; every value is kept as typed)" }</summary>
                    <div class="sim-fields">{ for fields }</div>
                </details>
            </section>
        }
    }
}
