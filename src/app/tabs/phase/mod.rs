//! The Phase diagram tab (issue #14): the narrow- and wide-well diagrams at 1:2 as the
//! campaign of `bnsl phase-diagram` shipped them (Fig. 3c,d; the P–V isotherms of Figs. S17,
//! S21; the driving force of Fig. S19), their caveats first, the paper's Fig. 3e/f
//! compressions drawn at their depths (coloured by the crystalline fraction the reproduction
//! measured, [`crate::plot::paper_runs`]), a click on a diagram picks a state point that opens
//! the Simulate tab there ("Simulate here", "Seed here") or is recomputed in the Web Worker
//! with progress, time left, pause and stop: the gas/liquid–solid coexistence at that depth
//! (the fluid's and the crystal's free energies, [`crate::jobs::coexistence`]), or the
//! crystal's Frenkel–Ladd free energy alone at that density ([`crate::jobs::free_energy`]). A
//! share link restores the pick and replays the recomputed points.
//!
//! The diagrams are fetched from `phase-diagrams/{narrow,wide}-1to2/diagram.json` (copied by
//! `scripts/copy-phase-data.sh`) for the wells that `phase-diagrams/shipped.json` lists; a
//! well not listed says "no computed diagram shipped" and shows no coexistence data.

mod reproduced;
mod session;

use std::rc::Rc;

use yew::prelude::*;

use crate::app::kit::PlotView;
use crate::app::tabs::analyse::load::fetch_bytes;
use crate::app::worker::{WorkerHandle, WorkerMessage};
use crate::app::Tab;
use crate::jobs::coexistence::{CoexistenceOutput, CoexistenceSpec, Verdict, COEXISTENCE_DEPTHS};
use crate::jobs::free_energy::{FreeEnergyOutput, FreeEnergySpec, DENSITY_RANGE, DEPTH_RANGE};
use crate::jobs::phase_link::{in_range, PhaseLink, Pick, MAX_LINK_POINTS};
use crate::jobs::{JobEvent, JobOutput, JobSpec};
use crate::plot::paper_runs::{compressions, ReproducedRun};
use crate::plot::phase_charts::{
    crystal_free_energy_chart, driving_force_chart, isotherms_chart, phase_diagram_chart,
    well_name, with_compressions, with_recomputed, with_recomputed_coexistence, RecomputedPoint,
};
use crate::plot::{Chart, Rgb, Series, Style};
use crate::simulate::{seeded_state_point, state_point, Recipe};
use crate::thermo::diagram::{PhaseDiagram, Well};
use session::{Recomputed, RecomputedCoexistence, Session};

const WELLS: [Well; 2] = [Well::Narrow, Well::Wide];

/// Where the page finds a well's shipped diagram.
fn diagram_url(well: Well) -> &'static str {
    match well {
        Well::Narrow => "phase-diagrams/narrow-1to2/diagram.json",
        Well::Wide => "phase-diagrams/wide-1to2/diagram.json",
    }
}

fn slug(well: Well) -> &'static str {
    match well {
        Well::Narrow => "narrow",
        Well::Wide => "wide",
    }
}

fn index(well: Well) -> usize {
    match well {
        Well::Narrow => 0,
        Well::Wide => 1,
    }
}

/// A well's shipped diagram.
pub enum Slot {
    /// Being fetched.
    Loading,
    /// No file (the reason in words).
    Missing(String),
    /// A file that is not a diagram.
    Unreadable(String),
    /// The diagram.
    Loaded(Rc<PhaseDiagram>),
}

impl Slot {
    fn diagram(&self) -> Option<&PhaseDiagram> {
        match self {
            Slot::Loaded(d) => Some(d),
            _ => None,
        }
    }
}

/// Messages of [`PhaseTab`].
pub enum Msg {
    /// A well's diagram arrived (or not).
    Loaded(Well, Slot),
    /// A click on a well's diagram at (ρσ³, ε/kT).
    Pick(Well, (f64, f64)),
    /// Open the Simulate tab at the picked point.
    SimulateHere,
    /// Open the Simulate tab with the seeded-growth recipe at the picked point.
    SeedHere,
    /// Copy the picked point into the recompute form.
    RecomputeHere,
    /// A form field was edited.
    Edit(&'static str, String),
    /// Compute the form's point (the crystal alone).
    Compute,
    /// Compute the coexistence at the form's well and depth.
    ComputeCoexistence,
    /// The reproduced compressions' summary arrived (or not).
    Reproduced(Result<Vec<ReproducedRun>, String>),
    /// Compute the points restored from a link.
    Replay,
    /// Pause the computation.
    Pause,
    /// Resume it.
    Resume,
    /// Stop it.
    Stop,
    /// The worker said something.
    Worker(WorkerMessage),
    /// Make the share link.
    Share,
    /// Forget the recomputed points.
    Clear,
}

/// A computation in the tab's list: a crystal point or a coexistence, by its index.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Task {
    Crystal(usize),
    Coexistence(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RunState {
    Idle,
    Running,
    Paused,
}

/// The recompute form as typed.
#[derive(Clone, PartialEq)]
struct Form {
    well: String,
    depth: String,
    density: String,
    seed: String,
    quality: String,
    /// "NX,NY,NZ" AlB₂ cells, empty for the fewest that hold the cut-off.
    cells: String,
}

impl Default for Form {
    fn default() -> Self {
        Self {
            well: "narrow".into(),
            depth: "2.5".into(),
            density: "2.8".into(),
            seed: "1".into(),
            quality: "fast".into(),
            cells: String::new(),
        }
    }
}

impl Form {
    fn pairs(&self) -> Vec<(String, String)> {
        [
            ("well", &self.well),
            ("depth", &self.depth),
            ("density", &self.density),
            ("seed", &self.seed),
            ("quality", &self.quality),
            ("cells", &self.cells),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }

    fn set(&mut self, field: &str, text: String) {
        match field {
            "well" => self.well = text,
            "depth" => self.depth = text,
            "density" => self.density = text,
            "seed" => self.seed = text,
            "quality" => self.quality = text,
            "cells" => self.cells = text,
            _ => {}
        }
    }

    /// The spec the form describes, or what is wrong with it.
    fn spec(&self) -> Result<FreeEnergySpec, String> {
        let number = |what: &str, text: &str| {
            text.trim()
                .parse::<f64>()
                .map_err(|_| format!("{what}: {text:?} is not a number"))
        };
        let well = match self.well.as_str() {
            "wide" => Well::Wide,
            _ => Well::Narrow,
        };
        let seed = self
            .seed
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("seed: {:?} is not a whole number ≥ 0", self.seed))?;
        let cells = if self.cells.trim().is_empty() {
            None
        } else {
            let counts: Vec<usize> = self
                .cells
                .split(',')
                .map(|c| c.trim().parse::<usize>())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    format!(
                        "cells: {:?} is not three whole numbers NX,NY,NZ",
                        self.cells
                    )
                })?;
            let [x, y, z] = counts[..] else {
                return Err(format!(
                    "cells: {:?} is not three whole numbers NX,NY,NZ",
                    self.cells
                ));
            };
            Some([x, y, z])
        };
        let spec = FreeEnergySpec {
            well,
            depth: number("ε/kT", &self.depth)?,
            density: number("ρσ³", &self.density)?,
            cells,
            seed,
            quality: self.quality.clone(),
        };
        spec.check().map_err(|e| e.to_string())?;
        Ok(spec)
    }

    /// The coexistence recompute the form describes (its well, depth, seed and quality).
    fn coexistence(&self) -> Result<CoexistenceSpec, String> {
        let depth = self
            .depth
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("ε/kT: {:?} is not a number", self.depth))?;
        let seed = self
            .seed
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("seed: {:?} is not a whole number ≥ 0", self.seed))?;
        let spec = CoexistenceSpec {
            well: if self.well == "wide" {
                Well::Wide
            } else {
                Well::Narrow
            },
            depth,
            seed,
            quality: self.quality.clone(),
        };
        spec.check().map_err(|e| e.to_string())?;
        Ok(spec)
    }
}

/// The Phase diagram tab.
pub struct PhaseTab {
    diagrams: [Slot; 2],
    pick: Option<Pick>,
    form: Form,
    points: Vec<Recomputed>,
    coexistence: Vec<RecomputedCoexistence>,
    /// The reproduced compressions (empty until fetched, or when the summary is missing).
    reproduced: Vec<ReproducedRun>,
    reproduced_note: Option<String>,
    worker: Option<WorkerHandle>,
    state: RunState,
    /// The computation running.
    running: Option<Task>,
    /// Computations waiting, in order.
    queue: Vec<Task>,
    done: u64,
    total: u64,
    /// When the computation started and the steps then (ms, steps).
    clock: Option<(f64, u64)>,
    rate: Option<f64>,
    message: Option<(bool, String)>,
    share: Option<String>,
    storage_note: Option<String>,
    /// The charts on screen, rebuilt only when what they show changes.
    charts: Charts,
    /// When progress last re-rendered the tab (ms).
    rendered_at: f64,
}

/// The tab's charts.
#[derive(Default)]
struct Charts {
    maps: Vec<Rc<Chart>>,
    free_energy: Rc<Chart>,
    isotherms: Vec<(Well, Rc<Chart>)>,
    driving_force: Option<Rc<Chart>>,
}

/// The maps' density axis (ρσ³).
const MAP_DENSITIES: (f64, f64) = (1.0, 3.2);

/// Least time between two re-renders for progress (ms).
const RENDER_EVERY_MS: f64 = 250.0;

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

/// Puts `#/phase` in the address bar without a navigation (a reload then restores the stored
/// session, not the link again).
fn settle_address() {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&Tab::PhaseDiagram.hash()),
        );
    }
}

/// Opens `recipe` in the Simulate tab (its share fragment; the tab reads it on opening).
fn open_in_simulate(recipe: &Recipe) -> Result<(), String> {
    let fragment = recipe.to_fragment().map_err(|e| e.to_string())?;
    let window = web_sys::window().ok_or("no window")?;
    window
        .location()
        .set_hash(&fragment)
        .map_err(|_| "the browser refused to open the Simulate tab".to_string())
}

fn remaining(seconds: f64) -> String {
    if seconds > 3600.0 {
        format!("{:.1} h left", seconds / 3600.0)
    } else if seconds > 90.0 {
        format!("{:.0} min left", seconds / 60.0)
    } else {
        format!("{seconds:.0} s left")
    }
}

impl PhaseTab {
    fn recomputed(&self, well: Option<Well>) -> Vec<(Well, RecomputedPoint)> {
        self.points
            .iter()
            .filter(|p| well.is_none_or(|w| p.spec.well == w))
            .filter_map(|p| {
                let r = p.result.as_ref()?;
                Some((
                    p.spec.well,
                    RecomputedPoint {
                        depth: p.spec.depth,
                        rho: p.spec.density,
                        beta_f: (r.beta_f_per_particle, r.beta_f_error),
                    },
                ))
            })
            .collect()
    }

    /// A well's map: the shipped diagram (or its title alone), the paper's runs, the
    /// recomputed points and the pick.
    fn map_chart(&self, well: Well) -> Chart {
        let base = match self.diagrams[index(well)].diagram() {
            Some(d) => phase_diagram_chart(d),
            None => {
                let mut c = phase_diagram_chart(&empty_diagram(well));
                c.title = format!("{}: no computed diagram shipped", well_name(well));
                c
            }
        };
        let mut chart = with_compressions(base, &compressions(well, &self.reproduced));
        let coexisting: Vec<_> = self
            .coexistence
            .iter()
            .filter(|c| c.spec.well == well)
            .filter_map(|c| c.result.as_ref()?.gas_solid)
            .collect();
        chart = with_recomputed_coexistence(chart, &coexisting);
        let mine: Vec<RecomputedPoint> = self
            .recomputed(Some(well))
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        chart = with_recomputed(chart, &mine);
        if let Some(p) = self.pick.filter(|p| p.well == well) {
            chart.series.push(
                Series::line("picked", vec![(p.density, p.depth)])
                    .styled(Style::Points)
                    .coloured(Rgb(204, 121, 167)),
            );
        }
        // From the gas side of the coexistence (ρσ³ ≈ 1.3 at ε/kT 2) to the densest crystal;
        // up to ε/kT 5 so that the legend sits above the data (ε/kT ≤ 3).
        chart.x.range = Some((MAP_DENSITIES.0, MAP_DENSITIES.1));
        chart.y.range = Some((0.0, DEPTH_RANGE.1));
        chart
    }

    fn rebuild_charts(&mut self) {
        let loaded: Vec<&PhaseDiagram> = WELLS
            .iter()
            .filter_map(|w| self.diagrams[index(*w)].diagram())
            .collect();
        self.charts = Charts {
            maps: WELLS.iter().map(|w| Rc::new(self.map_chart(*w))).collect(),
            free_energy: Rc::new(crystal_free_energy_chart(&loaded, &self.recomputed(None))),
            isotherms: loaded
                .iter()
                .map(|d| (d.well, Rc::new(isotherms_chart(d))))
                .collect(),
            driving_force: (!loaded.is_empty()).then(|| Rc::new(driving_force_chart(&loaded))),
        };
    }

    fn save(&mut self) {
        let session = Session {
            pick: self.pick,
            form: self.form.pairs(),
            points: self.points.clone(),
            coexistence: self.coexistence.clone(),
        };
        self.storage_note = session.store().err();
    }

    /// Starts the next queued computation, if none is running.
    fn start_next(&mut self, ctx: &Context<Self>) {
        if self.running.is_some() || self.queue.is_empty() {
            return;
        }
        let task = self.queue.remove(0);
        let (spec, what) = match task {
            Task::Crystal(i) => match self.points.get(i) {
                Some(p) => (
                    JobSpec::FreeEnergy(p.spec.clone()),
                    format!("crystal point {}", i + 1),
                ),
                None => return,
            },
            Task::Coexistence(i) => match self.coexistence.get(i) {
                Some(c) => (
                    JobSpec::Coexistence(c.spec.clone()),
                    format!("coexistence {}", i + 1),
                ),
                None => return,
            },
        };
        match WorkerHandle::start(&spec, Vec::new(), ctx.link().callback(Msg::Worker)) {
            Ok(h) => {
                self.worker = Some(h);
                self.running = Some(task);
                self.state = RunState::Running;
                self.done = 0;
                self.total = 0;
                self.clock = None;
                self.rate = None;
                self.message = Some((false, format!("Computing {what} of the list…")));
            }
            Err(e) => self.message = Some((true, e)),
        }
    }

    /// The current computation ended (finished, stopped or failed) with `note`.
    fn end_current(&mut self, ctx: &Context<Self>, note: Option<String>) {
        match self.running.take() {
            Some(Task::Crystal(i)) => {
                if let Some(p) = self.points.get_mut(i).filter(|p| p.result.is_none()) {
                    p.note = note;
                }
            }
            Some(Task::Coexistence(i)) => {
                if let Some(c) = self.coexistence.get_mut(i).filter(|c| c.result.is_none()) {
                    c.note = note;
                }
            }
            None => {}
        }
        self.worker = None;
        self.state = RunState::Idle;
        self.save();
        self.start_next(ctx);
    }

    /// Whether the list is full.
    fn full(&mut self) -> bool {
        let full = self.points.len() + self.coexistence.len() >= MAX_LINK_POINTS;
        if full {
            self.message = Some((
                true,
                format!("At most {MAX_LINK_POINTS} computations; clear the list first."),
            ));
        }
        full
    }

    fn handle(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Loaded(well, slot) => self.diagrams[index(well)] = slot,
            Msg::Pick(well, (rho, depth)) => {
                let density = (rho * 1000.0).round() / 1000.0;
                let depth = (depth * 100.0).round() / 100.0;
                if in_range(depth, density) {
                    self.pick = Some(Pick {
                        well,
                        depth,
                        density,
                    });
                    self.message = None;
                } else {
                    self.message = Some((
                        true,
                        format!(
                            "Pick a point with ε/kT {} to {} and ρσ³ {} to {} (clicked ε/kT = {depth}, ρσ³ = {density}).",
                            DEPTH_RANGE.0, DEPTH_RANGE.1, DENSITY_RANGE.0, DENSITY_RANGE.1
                        ),
                    ));
                }
                self.share = None;
                self.save();
            }
            Msg::SimulateHere | Msg::SeedHere => {
                let Some(p) = self.pick else {
                    return false;
                };
                let recipe = if matches!(msg, Msg::SimulateHere) {
                    state_point(p.well, p.depth, p.density)
                } else {
                    seeded_state_point(p.well, p.depth, p.density)
                };
                if let Err(e) = open_in_simulate(&recipe) {
                    self.message = Some((true, e));
                }
            }
            Msg::RecomputeHere => {
                if let Some(p) = self.pick {
                    self.form.well = slug(p.well).into();
                    self.form.depth = p.depth.to_string();
                    self.form.density = p.density.to_string();
                    self.save();
                }
            }
            Msg::Edit(field, text) => {
                self.form.set(field, text);
                self.save();
            }
            Msg::Reproduced(Ok(runs)) => self.reproduced = runs,
            Msg::Reproduced(Err(e)) => self.reproduced_note = Some(e),
            Msg::ComputeCoexistence => match self.form.coexistence() {
                Ok(spec) => {
                    if self.full() {
                        return true;
                    }
                    self.coexistence.push(RecomputedCoexistence {
                        spec,
                        result: None,
                        note: None,
                    });
                    self.queue
                        .push(Task::Coexistence(self.coexistence.len() - 1));
                    self.share = None;
                    self.save();
                    self.start_next(ctx);
                }
                Err(e) => self.message = Some((true, e)),
            },
            Msg::Compute => match self.form.spec() {
                Ok(spec) => {
                    if self.full() {
                        return true;
                    }
                    self.points.push(Recomputed {
                        spec,
                        result: None,
                        note: None,
                    });
                    self.queue.push(Task::Crystal(self.points.len() - 1));
                    self.share = None;
                    self.save();
                    self.start_next(ctx);
                }
                Err(e) => self.message = Some((true, e)),
            },
            Msg::Replay => {
                let waiting: Vec<Task> = (0..self.points.len())
                    .filter(|&i| self.points[i].result.is_none())
                    .map(Task::Crystal)
                    .chain(
                        (0..self.coexistence.len())
                            .filter(|&i| self.coexistence[i].result.is_none())
                            .map(Task::Coexistence),
                    )
                    .filter(|t| self.running != Some(*t) && !self.queue.contains(t))
                    .collect();
                self.queue.extend(waiting);
                self.start_next(ctx);
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
                self.queue.clear();
                if let Some(w) = &self.worker {
                    w.stop();
                }
            }
            Msg::Worker(m) => match m {
                WorkerMessage::Event(JobEvent::Progress(p), _) => {
                    let t = now_ms();
                    match self.clock {
                        Some((t0, d0)) if t > t0 + 500.0 && p.done > d0 => {
                            self.rate = Some((p.done - d0) as f64 / ((t - t0) / 1000.0));
                        }
                        None => self.clock = Some((t, p.done)),
                        _ => {}
                    }
                    self.done = p.done;
                    self.total = p.total;
                }
                WorkerMessage::Event(JobEvent::Output(JobOutput::FreeEnergy(out)), _) => {
                    match out {
                        FreeEnergyOutput::Started { total_steps, n } => {
                            self.total = total_steps;
                            self.message = Some((
                                false,
                                format!("Frenkel–Ladd on {n} particles, {total_steps} steps…"),
                            ));
                        }
                        FreeEnergyOutput::Point(point) => {
                            let running = match self.running {
                                Some(Task::Crystal(i)) => Some(i),
                                _ => None,
                            };
                            if let Some(p) = running.and_then(|i| self.points.get_mut(i)) {
                                p.result = Some(*point);
                                p.note = None;
                            }
                            self.message = Some((false, "Point computed.".into()));
                            self.save();
                        }
                    }
                }
                WorkerMessage::Event(JobEvent::Output(JobOutput::Coexistence(out)), _) => match out
                {
                    CoexistenceOutput::Started {
                        n,
                        points,
                        total_steps,
                    } => {
                        self.total = total_steps;
                        self.message = Some((
                                false,
                                format!("Coexistence: {points} state points of {n} particles (fluid isotherm, crystal scan, Frenkel–Ladd), at most {total_steps} steps…"),
                            ));
                    }
                    CoexistenceOutput::Result(result) => {
                        let running = match self.running {
                            Some(Task::Coexistence(i)) => Some(i),
                            _ => None,
                        };
                        self.message = Some((
                            result.verdict != Verdict::Coexistence,
                            format!("ε/kT = {}: {}.", result.spec.depth, result.verdict.words()),
                        ));
                        if let Some(c) = running.and_then(|i| self.coexistence.get_mut(i)) {
                            c.result = Some(*result);
                            c.note = None;
                        }
                        self.save();
                    }
                },
                WorkerMessage::Event(..) => return false,
                WorkerMessage::Paused => self.state = RunState::Paused,
                WorkerMessage::Resumed => {
                    self.state = RunState::Running;
                    self.clock = Some((now_ms(), self.done));
                }
                WorkerMessage::Finished => self.end_current(ctx, None),
                WorkerMessage::Stopped => {
                    self.message = Some((false, format!("Stopped at step {}.", self.done)));
                    self.end_current(ctx, Some("stopped".into()));
                }
                WorkerMessage::Failed(e) => {
                    self.message = Some((true, format!("The computation failed: {e}")));
                    self.end_current(ctx, Some(e));
                }
            },
            Msg::Share => {
                let link = PhaseLink {
                    pick: self.pick,
                    points: self.points.iter().map(|p| p.spec.clone()).collect(),
                    coexistence: self.coexistence.iter().map(|c| c.spec.clone()).collect(),
                };
                match link.to_fragment() {
                    Ok(frag) => {
                        let base = page_url();
                        let base = base.split('#').next().unwrap_or_default().to_owned();
                        self.share = Some(format!("{base}{frag}"));
                    }
                    Err(e) => self.message = Some((true, e.to_string())),
                }
            }
            Msg::Clear => {
                if self.running.is_some() {
                    self.message = Some((true, "Stop the computation before clearing.".into()));
                    return true;
                }
                self.points.clear();
                self.coexistence.clear();
                self.queue.clear();
                self.share = None;
                self.save();
            }
        }
        true
    }
}

impl PhaseTab {
    /// The recomputed coexistences: inputs, verdict, densities and pressure with errors, the
    /// crystal's βF/N and the command line that gives the same numbers.
    fn coexistence_table(&self) -> Html {
        if self.coexistence.is_empty() {
            return html! {};
        }
        let est = |e: crate::thermo::diagram::Estimate, digits: usize| {
            format!("{:.*} ± {:.*}", digits, e.value, digits, e.error)
        };
        html! {
            <table class="phase-points" id="phase-coexistence">
                <thead><tr>
                    <th>{ "well" }</th><th>{ "ε/kT" }</th><th>{ "seed" }</th><th>{ "quality" }</th><th>{ "N" }</th>
                    <th>{ "fluid ρσ³" }</th><th>{ "AlB₂ ρσ³" }</th><th>{ "βPσ³" }</th><th>{ "crystal βF/N" }</th><th>{ "same as" }</th>
                </tr></thead>
                <tbody>
                    { for self.coexistence.iter().enumerate().map(|(i, c)| {
                        let state = if self.running == Some(Task::Coexistence(i)) { "running" } else if c.result.is_some() { "done" } else { "waiting" };
                        let g = c.result.as_ref().and_then(|r| r.gas_solid);
                        let attr = |f: fn(&crate::thermo::diagram::CoexistencePoint) -> f64| g.as_ref().map(|p| f(p).to_string()).unwrap_or_default();
                        html! {
                            <tr class="phase-coexistence" data-state={state}
                                data-verdict={c.result.as_ref().map(|r| format!("{:?}", r.verdict)).unwrap_or_default()}
                                data-rho-low={attr(|p| p.rho_low.value)} data-rho-low-error={attr(|p| p.rho_low.error)}
                                data-rho-high={attr(|p| p.rho_high.value)} data-rho-high-error={attr(|p| p.rho_high.error)}
                                data-pressure={attr(|p| p.pressure.value)} data-pressure-error={attr(|p| p.pressure.error)}
                                data-beta-f={c.result.as_ref().and_then(|r| r.crystal).map(|f| f.beta_f.value.to_string()).unwrap_or_default()}>
                                <td>{ slug(c.spec.well) }</td><td>{ c.spec.depth }</td><td>{ c.spec.seed }</td><td>{ c.spec.quality.clone() }</td>
                                { match &c.result {
                                    Some(r) => html! {
                                        <>
                                            <td>{ r.n }</td>
                                            if let Some(p) = r.gas_solid {
                                                <td>{ est(p.rho_low, 3) }</td><td>{ est(p.rho_high, 4) }</td><td>{ est(p.pressure, 2) }</td>
                                            } else {
                                                <td colspan="3" class="error phase-verdict">{ r.verdict.words() }</td>
                                            }
                                            <td>{ r.crystal.map(|f| format!("{} at ρσ³ {:.3}", est(f.beta_f, 4), f.rho)).unwrap_or_else(|| "—".into()) }</td>
                                            <td>
                                                if r.gas_solid.is_some() && r.verdict != Verdict::Coexistence {
                                                    <strong class="error phase-verdict">{ r.verdict.words() }</strong><br />
                                                }
                                                <code>{ r.command.clone() }</code>
                                                <small>{ format!(" ({} state points computed, {} crystal points past the stable branch skipped)", r.points[0], r.points[1]) }</small>
                                            </td>
                                        </>
                                    },
                                    None => html! { <td colspan="6">{ c.note.clone().unwrap_or_else(|| state.to_owned()) }</td> },
                                } }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        }
    }
}

/// A diagram without data, to draw the axes and the paper's runs on.
fn empty_diagram(well: Well) -> PhaseDiagram {
    PhaseDiagram {
        well,
        ratio: [1, 2],
        solid: "AlB2".into(),
        provenance: crate::thermo::diagram::Provenance {
            command: String::new(),
            commit: String::new(),
            n: 0,
            quality: String::new(),
            seed: 0,
            wall_s: 0.0,
        },
        depths: Vec::new(),
        gas_solid: Vec::new(),
        vapour_liquid: Vec::new(),
        critical_depth: None,
        isotherms: Vec::new(),
        equations_of_state: Vec::new(),
        driving_force: Vec::new(),
        crystal_free_energies: Vec::new(),
        caveats: Vec::new(),
    }
}

/// The list of wells whose diagram is shipped (`data/phase-diagrams/shipped.json`, e.g.
/// `["narrow"]`), read first so that the page never asks for a file that is not there.
const SHIPPED_URL: &str = "phase-diagrams/shipped.json";

async fn load_diagram(well: Well) -> Slot {
    let shipped = match fetch_bytes(SHIPPED_URL).await {
        Err(e) => return Slot::Missing(e),
        Ok(bytes) => serde_json::from_slice::<Vec<String>>(&bytes),
    };
    match shipped {
        Err(e) => return Slot::Unreadable(format!("{SHIPPED_URL}: {e}")),
        Ok(wells) if !wells.iter().any(|w| w == slug(well)) => {
            return Slot::Missing(format!("{SHIPPED_URL} does not list {}", slug(well)));
        }
        Ok(_) => {}
    }
    let url = diagram_url(well);
    match fetch_bytes(url).await {
        Err(e) => Slot::Missing(e),
        Ok(bytes) => match serde_json::from_slice::<PhaseDiagram>(&bytes) {
            Ok(d) if d.well == well => Slot::Loaded(Rc::new(d)),
            Ok(d) => Slot::Unreadable(format!("{url} holds the {} diagram", well_name(d.well))),
            Err(e) => Slot::Unreadable(format!(
                "{url}: line {}, column {}: {e}",
                e.line(),
                e.column()
            )),
        },
    }
}

impl Component for PhaseTab {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        for well in WELLS {
            ctx.link()
                .send_future(async move { Msg::Loaded(well, load_diagram(well).await) });
        }
        ctx.link()
            .send_future(async { Msg::Reproduced(reproduced::load().await) });
        let mut tab = Self {
            diagrams: [Slot::Loading, Slot::Loading],
            pick: None,
            form: Form::default(),
            points: Vec::new(),
            coexistence: Vec::new(),
            reproduced: Vec::new(),
            reproduced_note: None,
            worker: None,
            state: RunState::Idle,
            running: None,
            queue: Vec::new(),
            done: 0,
            total: 0,
            clock: None,
            rate: None,
            message: None,
            share: None,
            storage_note: None,
            charts: Charts::default(),
            rendered_at: 0.0,
        };
        if let Some(s) = Session::load() {
            tab.pick = s.pick;
            for (k, v) in s.form {
                tab.form.set(&k, v);
            }
            tab.points = s.points;
            tab.coexistence = s.coexistence;
        }
        let url = page_url();
        if url.contains("?r=") || url.contains("&r=") {
            match PhaseLink::from_link(&url) {
                Ok(link) => {
                    tab.pick = link.pick;
                    let n = link.points.len() + link.coexistence.len();
                    tab.coexistence = link
                        .coexistence
                        .into_iter()
                        .map(|spec| RecomputedCoexistence {
                            spec,
                            result: None,
                            note: None,
                        })
                        .collect();
                    tab.points = link
                        .points
                        .into_iter()
                        .map(|spec| Recomputed {
                            spec,
                            result: None,
                            note: None,
                        })
                        .collect();
                    tab.message = Some((
                        false,
                        format!("View restored from the link with {n} computation(s) to recompute: press Replay to compute them (same seeds, same numbers on the CPU)."),
                    ));
                    tab.save();
                }
                Err(e) => {
                    tab.message = Some((
                        true,
                        format!(
                            "This link could not be opened: {e}. Your own view is shown instead."
                        ),
                    ));
                }
            }
            settle_address();
        }
        tab.rebuild_charts();
        tab
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        let progress = matches!(
            msg,
            Msg::Worker(WorkerMessage::Event(JobEvent::Progress(_), _))
        );
        let charts_change = matches!(
            msg,
            Msg::Loaded(..)
                | Msg::Reproduced(..)
                | Msg::Pick(..)
                | Msg::Clear
                | Msg::Worker(WorkerMessage::Event(JobEvent::Output(_), _))
        );
        let render = self.handle(ctx, msg);
        if charts_change {
            self.rebuild_charts();
        }
        if progress {
            let now = now_ms();
            if now - self.rendered_at < RENDER_EVERY_MS && self.done < self.total {
                return false;
            }
            self.rendered_at = now;
        }
        render
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let busy = self.running.is_some();
        let caveats: Vec<(Well, String)> = WELLS
            .iter()
            .filter_map(|w| self.diagrams[index(*w)].diagram().map(|d| (*w, d)))
            .flat_map(|(w, d)| d.caveats.iter().map(move |c| (w, c.clone())))
            .collect();
        let typed = |field: &'static str| {
            link.callback(move |e: InputEvent| {
                Msg::Edit(
                    field,
                    e.target_unchecked_into::<web_sys::HtmlInputElement>()
                        .value(),
                )
            })
        };
        let edit = |field: &'static str| {
            link.callback(move |e: Event| {
                let value = e
                    .target_dyn_into::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
                    .or_else(|| {
                        e.target_dyn_into::<web_sys::HtmlSelectElement>()
                            .map(|s| s.value())
                    })
                    .unwrap_or_default();
                Msg::Edit(field, value)
            })
        };
        let maps = WELLS.iter().map(|&well| {
            let slot = &self.diagrams[index(well)];
            let status = match slot {
                Slot::Loading => html! { <p class="phase-status">{ "Loading the shipped diagram…" }</p> },
                Slot::Missing(why) => html! {
                    <p class="phase-status phase-missing" title={why.clone()}>
                        { format!("No computed diagram shipped for the {}: the map shows the paper's runs only.", well_name(well)) }
                    </p>
                },
                Slot::Unreadable(why) => html! {
                    <p class="phase-status error" role="alert">{ format!("The shipped diagram could not be read: {why}") }</p>
                },
                Slot::Loaded(d) => html! {
                    <p class="phase-status phase-provenance">
                        { format!("Computed by `{}` (N = {}, {} quality, seed {}, {:.0} s, {}).", d.provenance.command, d.provenance.n, d.provenance.quality, d.provenance.seed, d.provenance.wall_s, d.provenance.commit) }
                    </p>
                },
            };
            let on_pick = link.callback(move |v: (f64, f64)| Msg::Pick(well, v));
            let chart = self.charts.maps.get(index(well)).cloned().unwrap_or_default();
            html! {
                <div class="phase-map" id={format!("phase-map-{}", slug(well))}
                    data-loaded={matches!(slot, Slot::Loaded(_)).to_string()}>
                    { status }
                    <PlotView chart={chart} width={560} height={500}
                        file_stem={format!("phase-diagram-{}", slug(well))} scale_toggles={false}
                        on_pick={Some(on_pick)} />
                </div>
            }
        });
        let fraction = if self.total > 0 {
            self.done as f64 / self.total as f64
        } else {
            0.0
        };
        let left = self
            .rate
            .filter(|r| *r > 0.0 && busy)
            .map(|r| remaining(self.total.saturating_sub(self.done) as f64 / r));
        html! {
            <section id="panel-phase" class="phase">
                <h2>{ "Phase diagram" }</h2>
                <div class="phase-caveats" id="phase-caveats" role="note">
                    <strong>{ "Read first. " }</strong>
                    <ul>
                        { for caveats.iter().map(|(w, c)| html! { <li>{ format!("{}: {c}", well_name(*w)) }</li> }) }
                        <li>{ "The paper's compressions (Fig. 3e/f) are segments at their depths over their density ranges, coloured by the crystalline fraction of L that `bnsl reproduce` measured at the end (viridis, 0 purple → 1 yellow; 1,500 particles, far smaller and shorter than the paper's runs: no nucleus formed, so the fractions stay near 0); grey where no reproduction ran them." }</li>
                        <li>{ "Recomputing a coexistence runs the campaign of `bnsl phase-diagram` for one depth at small N and fast quality (the fluid from the ideal gas along a supercritical isotherm, the AlB₂ crystal scanned and its Frenkel–Ladd free energy): its errors are larger than the shipped diagram's, and the numbers may not support a coexistence at all (no crossing, a melted crystal), which the result then says. Narrow well: about 1–2 minutes in Chromium at ε/kT ≤ 2.5, twice that deeper (the reference isotherm at 0.5 also runs); the wide well needs 1,176 particles and its cut-off is twice as long: about 10–15 minutes (7.3 min of one core natively at ε/kT 1)." }</li>
                    </ul>
                </div>
                <p class="phase-intro">{ "ρσ³ across, ε/kT up, at L:S = 1:2: gas/liquid–AlB₂ coexistence in blue and vapour–liquid in orange with their error bars, the critical depth ε_c dashed (Fig. 3c narrow well, Fig. 3d wide well). Hover for values; click a map to pick a state point." }</p>
                if let Some((bad, m)) = &self.message {
                    <p id="phase-message" class={classes!("phase-message", bad.then_some("error"))} role="status">{ m.clone() }</p>
                }
                <div class="phase-maps">{ for maps }</div>
                <div class="phase-pick" id="phase-pick">
                    { match self.pick {
                        Some(p) => html! {
                            <>
                                <span id="phase-picked" data-well={slug(p.well)} data-depth={p.depth.to_string()} data-density={p.density.to_string()}>
                                    { format!("Picked: {}, ε/kT = {}, ρσ³ = {}", well_name(p.well), p.depth, p.density) }
                                </span>
                                <button id="phase-simulate" onclick={link.callback(|_| Msg::SimulateHere)}
                                    title="A periodic 1:2 box of the Fig. 3e/f protocol at this density and depth">{ "Simulate here" }</button>
                                <button id="phase-seed" onclick={link.callback(|_| Msg::SeedHere)}
                                    title="The seeded-growth recipe (an AlB₂ seed in the fluid) at this density and depth">{ "Seed here" }</button>
                                <button id="phase-recompute-here" onclick={link.callback(|_| Msg::RecomputeHere)}>{ "Recompute here" }</button>
                            </>
                        },
                        None => html! { <span>{ "Click a map to pick a state point." }</span> },
                    } }
                </div>
                <fieldset class="phase-recompute" id="phase-recompute">
                    <legend>{ "Recompute in the browser" }</legend>
                    <label>{ "Well " }
                        <select id="phase-well" onchange={edit("well")} disabled={busy}>
                            <option value="narrow" selected={self.form.well != "wide"}>{ "narrow (Mie 50–25)" }</option>
                            <option value="wide" selected={self.form.well == "wide"}>{ "wide (Mie 50–6)" }</option>
                        </select>
                    </label>
                    <label>{ "ε/kT " }<input id="phase-depth" type="text" inputmode="decimal" value={self.form.depth.clone()} oninput={typed("depth")} disabled={busy} /></label>
                    <label>{ "ρσ³ " }<input id="phase-density" type="text" inputmode="decimal" value={self.form.density.clone()} oninput={typed("density")} disabled={busy} /></label>
                    <label>{ "seed " }<input id="phase-seed-value" type="text" inputmode="numeric" value={self.form.seed.clone()} oninput={typed("seed")} disabled={busy} /></label>
                    <label>{ "quality " }
                        <select id="phase-quality" onchange={edit("quality")} disabled={busy}>
                            <option value="fast" selected={self.form.quality != "standard"}>{ "fast (8 λ points, 2 repeats)" }</option>
                            <option value="standard" selected={self.form.quality == "standard"}>{ "standard (12 λ points, 3 repeats)" }</option>
                        </select>
                    </label>
                    <label title="AlB₂ orthorhombic cells (6 particles each) along x, y, z; empty: the fewest that hold the cut-off">{ "cells " }<input id="phase-cells" type="text" placeholder="auto" value={self.form.cells.clone()} oninput={typed("cells")} disabled={busy} /></label>
                    <button id="phase-compute-coexistence" onclick={link.callback(|_| Msg::ComputeCoexistence)}
                        title="The fluid's and the crystal's free energies at this well and depth, and their coexistence (the density is not used)">{ "Coexistence at this depth" }</button>
                    <button id="phase-compute" onclick={link.callback(|_| Msg::Compute)}
                        title="The AlB₂ crystal's Frenkel–Ladd free energy at this density alone">{ "Crystal only" }</button>
                    if self.state == RunState::Paused {
                        <button id="phase-resume" onclick={link.callback(|_| Msg::Resume)}>{ "Resume" }</button>
                    } else {
                        <button id="phase-pause" onclick={link.callback(|_| Msg::Pause)} disabled={!busy}>{ "Pause" }</button>
                    }
                    <button id="phase-stop" onclick={link.callback(|_| Msg::Stop)} disabled={!busy}>{ "Stop" }</button>
                    <button id="phase-replay" onclick={link.callback(|_| Msg::Replay)}
                        disabled={!self.points.iter().any(|p| p.result.is_none()) && !self.coexistence.iter().any(|c| c.result.is_none())}>{ "Replay" }</button>
                    <button id="phase-share" onclick={link.callback(|_| Msg::Share)}>{ "Share" }</button>
                    <button id="phase-clear" onclick={link.callback(|_| Msg::Clear)} disabled={busy || (self.points.is_empty() && self.coexistence.is_empty())}>{ "Clear" }</button>
                    <div class="phase-progress">
                        <progress id="phase-progress" max="1" value={fraction.to_string()}></progress>
                        <span id="phase-steps">{ format!("step {} of {}", self.done, self.total) }</span>
                        <span id="phase-remaining">{ left.unwrap_or_default() }</span>
                    </div>
                    <small>{ format!("Coexistence at this depth: the fluid at 10 densities and the AlB₂ crystal scanned from ρσ³ 3.1 down, at the least N whose boxes hold the cut-off (288 particles narrow), ε/kT {} to {}; the same numbers as the `bnsl phase-diagram` command shown. Crystal only: the smallest AlB₂ box that holds the cut-off (about 200 particles for the narrow well, 900–1,200 for the wide one), Langevin, centre of mass fixed; the same number as `bnsl free-energy` for the same inputs. ε/kT {} to {}, ρσ³ {} to {}.", COEXISTENCE_DEPTHS.0, COEXISTENCE_DEPTHS.1, DEPTH_RANGE.0, DEPTH_RANGE.1, DENSITY_RANGE.0, DENSITY_RANGE.1) }</small>
                </fieldset>
                if let Some(s) = &self.share {
                    <p class="phase-share">{ "Link to this view: " }<input id="phase-share-link" readonly=true value={s.clone()} /></p>
                }
                if let Some(note) = &self.storage_note {
                    <p class="phase-storage" role="status">{ note.clone() }</p>
                }
                <table class="phase-points" id="phase-points" hidden={self.points.is_empty()}>
                    <thead><tr>
                        <th>{ "well" }</th><th>{ "ε/kT" }</th><th>{ "ρσ³" }</th><th>{ "seed" }</th><th>{ "quality" }</th>
                        <th>{ "N" }</th><th>{ "βF/N" }</th><th>{ "βPσ³" }</th><th>{ "same as" }</th>
                    </tr></thead>
                    <tbody>
                        { for self.points.iter().enumerate().map(|(i, p)| {
                            let state = if self.running == Some(Task::Crystal(i)) { "running" } else if p.result.is_some() { "done" } else { "waiting" };
                            html! {
                                <tr class="phase-point" data-state={state}
                                    data-beta-f={p.result.as_ref().map(|r| r.beta_f_per_particle.to_string()).unwrap_or_default()}>
                                    <td>{ slug(p.spec.well) }</td><td>{ p.spec.depth }</td><td>{ p.spec.density }</td>
                                    <td>{ p.spec.seed }</td><td>{ p.spec.quality.clone() }</td>
                                    { match &p.result {
                                        Some(r) => html! {
                                            <>
                                                <td>{ r.n }</td>
                                                <td>
                                                    { format!("{:.5} ± {:.5}", r.beta_f_per_particle, r.beta_f_error) }
                                                    if r.melted() {
                                                        <strong class="error phase-melted">{ format!(" melted (Lindemann {:.2}): not a crystal's free energy", r.lindemann) }</strong>
                                                    }
                                                </td>
                                                <td>{ format!("{:.3} ± {:.3}", r.beta_pressure()[0], r.beta_pressure()[1]) }</td>
                                                <td><code>{ r.command.clone() }</code></td>
                                            </>
                                        },
                                        None => html! { <td colspan="4">{ p.note.clone().unwrap_or_else(|| state.to_owned()) }</td> },
                                    } }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                { self.coexistence_table() }
                if let Some(note) = &self.reproduced_note {
                    <p class="phase-storage" role="status">{ format!("The reproduced compressions could not be read ({note}): they are drawn grey.") }</p>
                }
                <div class="phase-charts">
                    <PlotView chart={self.charts.free_energy.clone()}
                        file_stem="crystal-free-energy" scale_toggles={false} />
                    { for self.charts.isotherms.iter().map(|(w, c)| html! {
                        <PlotView chart={c.clone()} file_stem={format!("isotherms-{}", slug(*w))} />
                    }) }
                    if let Some(c) = &self.charts.driving_force {
                        <PlotView chart={c.clone()} file_stem="driving-force" />
                    }
                </div>
            </section>
        }
    }
}
