//! The SAXS fit tab (issue #5): a pattern or a time series in (file picker, drag and drop,
//! or an example), the fit of `bnsl::saxs` (the same functions as `bnsl fit`), the plot of
//! data, fit and residuals with hkl markers, the parameter table with uncertainties, a
//! series' S(q, t) heatmap and its parameters against time, exports and share links.
//!
//! Issue #17: the data may be I(q), fitted as scale·P(q)·S(q) + background with the cores'
//! form factor (spheres of a mean diameter and spread, or a measured P(q) file), and
//! user-defined structures (TOML/JSON files, as `bnsl fit --structure-file`) join the
//! candidates; a file that cannot be read says where (line/column) and changes nothing.
//!
//! Every fit runs in the Web Worker (issue #18: `jobs::fit_pattern`, `jobs::fit_series`), so
//! the page answers while it fits and Stop ends it; a file that cannot be read leaves the
//! data and fit already shown as they were, and says why.

use crate::app::kit::download::save_text;
use crate::app::kit::PlotView;
use crate::app::worker::{WorkerHandle, WorkerMessage};
use crate::jobs::fit_pattern::{FitPatternSpec, MAX_FIT_POINTS};
use crate::jobs::fit_series::FitSeriesSpec;
use crate::jobs::JobSpec;
use crate::lattice::{catalogue, CoreDiameters, Crystal};
use crate::plot::{Axis, Chart, Marker, Series as PlotSeries, Style};
use crate::saxs::derived::Quantity;
use crate::saxs::fit::{FitOptions, PhaseParameters};
use crate::saxs::peaks::WidthMode;
use crate::saxs::read::{
    read_pattern, read_series, Pattern, QUnit, ReadError, ReadOptions, Series, SeriesLayout,
};
use crate::saxs::share::{SaxsShare, SharedSettings};
use crate::saxs::{FormFactor, FrameFit, ModelChoice, PatternFit};
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

mod examples;
mod series;

use examples::EXAMPLES;

/// Core-diameter presets (nm; SCIENCE.md §5, the paper's nanocrystals).
const LARGE_CORES: [(&str, f64); 3] = [
    ("Fe₃O₄ 10.4 nm", 10.4),
    ("FICO 13.2 nm", 13.2),
    ("PbS 6.4 nm", 6.4),
];
const SMALL_CORES: [(&str, f64); 2] = [("PbS 4.5 nm", 4.5), ("PbS 6.4 nm", 6.4)];

/// Largest structure file the tab reads (a crystal of hundreds of sites fits in a few KB).
const MAX_STRUCTURE_BYTES: usize = 64 * 1024;

/// What the data are: S(q), or I(q) with the cores' form factor from spheres or a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DataKind {
    /// A structure factor (or I(q) already divided by P(q)).
    StructureFactor,
    /// I(q) with the form factor of Gaussian-polydisperse spheres.
    Spheres,
    /// I(q) with a measured P(q) file.
    Measured,
}

impl DataKind {
    const ALL: [(DataKind, &'static str, &'static str); 3] = [
        (DataKind::StructureFactor, "s", "S(q)"),
        (DataKind::Spheres, "spheres", "I(q), cores as spheres"),
        (DataKind::Measured, "file", "I(q), P(q) from a file"),
    ];
}

/// What was read from the file.
enum Loaded {
    Single(Rc<Pattern>),
    Series(Rc<Series>),
}

/// Messages of the tab.
pub enum Msg {
    /// File bytes arrived (name, bytes).
    File(String, Vec<u8>),
    /// Reading a file failed.
    FileError(String),
    /// A setting changed.
    Model(String),
    /// q unit: "", "nm-1" or "A-1".
    Unit(String),
    /// Wavelength text (Å), for a 2θ column.
    Wavelength(String),
    /// Large core text.
    CoreL(String),
    /// Small core text.
    CoreS(String),
    /// Toggle per-peak widths.
    PerPeak,
    /// Toggle S = I/I(t₀).
    Normalize,
    /// Fit the pattern (or start the series).
    Fit,
    /// A message of fit run `id`'s worker.
    Worker(u64, WorkerMessage),
    /// Stop the fit or the series.
    Stop,
    /// Time slider.
    Frame(usize),
    /// Make a share link.
    Share,
    /// Export parameters.
    ExportCsv,
    /// Export parameters.
    ExportJson,
    /// A file is dragged over the drop zone (or left it).
    Drag(bool),
    /// What the data are ("s", "spheres", "file").
    DataKind(String),
    /// Mean core diameter text (nm), for the sphere form factor.
    CoreD(String),
    /// Spread of the core diameter text (nm).
    CoreSd(String),
    /// A measured form-factor file arrived (name, bytes).
    FormFile(String, Vec<u8>),
    /// A structure file arrived (name, bytes).
    StructureFile(String, Vec<u8>),
    /// Remove the user's structure of this name.
    RemoveStructure(String),
}

/// The SAXS fit tab.
pub struct SaxsTab {
    file_name: Option<String>,
    bytes: Option<Rc<Vec<u8>>>,
    loaded: Option<Loaded>,
    warnings: Vec<String>,
    error: Option<String>,
    model: ModelChoice,
    unit: Option<QUnit>,
    wavelength: String,
    core_l: String,
    core_s: String,
    per_peak: bool,
    normalize: bool,
    fit: Option<Rc<PatternFit>>,
    /// The file the shown fit (or series) belongs to and how long it took (ms).
    fit_ms: Option<(String, f64)>,
    worker: Option<WorkerHandle>,
    /// Work done and in all, while a fit or a series runs in the worker.
    progress: Option<(u64, u64)>,
    /// What the running fit is doing ("fitting 1000 points").
    progress_note: String,
    run_id: u64,
    /// When the running fit started (the worker's first progress), ms.
    series_t0: f64,
    /// The last run failed: offer to run it again.
    retry: bool,
    /// The worker's latest fits, shown when the run ends (finished, stopped or failed).
    pending: Vec<FrameFit>,
    frames: Vec<FrameFit>,
    frame: usize,
    link: Option<String>,
    notice: Option<String>,
    awaiting: Option<SaxsShare>,
    drag: bool,
    data_kind: DataKind,
    core_d: String,
    core_sd: String,
    /// The measured form factor's file name and pattern.
    form_file: Option<(String, Rc<Pattern>)>,
    /// The user's crystals, candidates besides the catalogue.
    user_crystals: Vec<Arc<Crystal>>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

async fn read_file(file: File, arrived: fn(String, Vec<u8>) -> Msg) -> Msg {
    let name = file.name();
    match JsFuture::from(file.array_buffer()).await {
        Ok(buf) => arrived(name, js_sys::Uint8Array::new(&buf).to_vec()),
        Err(_) => Msg::FileError(format!("the browser could not read {name}")),
    }
}

/// A file picker whose file arrives as `arrived`.
fn picker(
    link: &yew::html::Scope<SaxsTab>,
    arrived: fn(String, Vec<u8>) -> Msg,
) -> Callback<Event> {
    let link = link.clone();
    Callback::from(move |e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            link.send_future(read_file(file, arrived));
        }
        // The same file may be picked again (after editing it).
        input.set_value("");
    })
}

/// The crystal of a structure file, or why not (with line/column for syntax errors).
fn parse_structure(name: &str, bytes: &[u8], known: &[Arc<Crystal>]) -> Result<Crystal, String> {
    if bytes.len() > MAX_STRUCTURE_BYTES {
        return Err(format!(
            "{name} is {} bytes; a structure file has at most {MAX_STRUCTURE_BYTES}",
            bytes.len()
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("{name} is not UTF-8 text (byte {})", e.valid_up_to() + 1))?;
    let crystal = Crystal::from_text(text).map_err(|e| format!("{name}: {e}"))?;
    if catalogue().iter().any(|c| c.name == crystal.name) {
        return Err(format!(
            "{name}: the name '{}' is a catalogue crystal's; give yours another name",
            crystal.name
        ));
    }
    if known.iter().any(|c| c.name == crystal.name) {
        return Err(format!(
            "{name}: a structure named '{}' is already loaded; remove it first",
            crystal.name
        ));
    }
    Ok(crystal)
}

fn fmt_q(q: &Quantity) -> String {
    if !q.value.is_finite() {
        return "not a number".to_string();
    }
    if !q.err.is_finite() {
        return format!("{:.5}", q.value);
    }
    if q.err == 0.0 {
        return format!("{:.5}", q.value);
    }
    let digits = (-(q.err.log10().floor()) + 1.0).clamp(0.0, 8.0) as usize;
    format!("{:.*} ± {:.*}", digits, q.value, digits, q.err)
}

/// A number in a readable width: scientific notation when very small or large.
fn fmt_g(v: f64) -> String {
    if !v.is_finite() {
        return "not a number".to_string();
    }
    if v != 0.0 && (v.abs() < 0.01 || v.abs() >= 1e5) {
        format!("{v:.3e}")
    } else {
        format!("{v:.3}")
    }
}

fn phase_rows(ph: &PhaseParameters) -> Vec<(&'static str, Option<Quantity>)> {
    vec![
        ("a", Some(ph.a)),
        ("c/a", ph.c_over_a),
        ("ξ (Scherrer)", Some(ph.xi)),
        ("fraction", Some(ph.fraction)),
        ("b_LL", Some(ph.b_ll)),
        ("b_SS", Some(ph.b_ss)),
        ("b_LS", Some(ph.b_ls)),
        ("d_LL", ph.d_ll),
        ("d_SS", ph.d_ss),
        ("d_LS", ph.d_ls),
        ("φ", ph.phi),
        ("φ_eff", ph.phi_eff),
    ]
}

impl SaxsTab {
    fn settings(&self) -> SharedSettings {
        SharedSettings {
            model: self.model,
            q_unit: self.unit,
            cores: self.cores_nm(),
            per_peak_widths: self.per_peak,
            normalize: self.normalize,
        }
    }

    fn cores_nm(&self) -> Option<(f64, f64)> {
        let l: f64 = self.core_l.trim().parse().ok()?;
        let s: f64 = self.core_s.trim().parse().ok()?;
        (l > 0.0 && s > 0.0 && l.is_finite() && s.is_finite()).then_some((l, s))
    }

    fn length_unit(&self) -> QUnit {
        match &self.loaded {
            Some(Loaded::Single(p)) => p.unit.unit,
            Some(Loaded::Series(s)) => s.unit.unit,
            None => QUnit::InverseNm,
        }
    }

    /// The form factor the data kind asks for (lengths in the data's unit).
    fn form_factor(&self, factor: f64) -> Result<Option<FormFactor>, String> {
        let number = |text: &str, what: &str| -> Result<f64, String> {
            text.trim()
                .parse::<f64>()
                .map_err(|_| format!("{what} '{}': give a number in nm", text.trim()))
        };
        let ff = match self.data_kind {
            DataKind::StructureFactor => return Ok(None),
            DataKind::Spheres => FormFactor::Spheres {
                diameter: number(&self.core_d, "core diameter D")? * factor,
                spread: number(&self.core_sd, "core spread σ_D")? * factor,
            },
            DataKind::Measured => match &self.form_file {
                Some((name, p)) => FormFactor::measured(name, p, self.length_unit()),
                None => return Err("choose the P(q) file of the dilute cores".into()),
            },
        };
        ff.check().map_err(|e| e.to_string())?;
        Ok(Some(ff))
    }

    fn options(&self) -> Result<FitOptions, String> {
        // Cores are entered in nm; data in Å⁻¹ give lengths in Å.
        let factor = if self.length_unit() == QUnit::InverseAngstrom {
            10.0
        } else {
            1.0
        };
        Ok(FitOptions {
            model: self.model,
            widths: if self.per_peak {
                WidthMode::PerPeak
            } else {
                WidthMode::Shared
            },
            cores: self.cores_nm().map(|(l, s)| CoreDiameters {
                large: l * factor,
                small: s * factor,
            }),
            user_crystals: self.user_crystals.clone(),
            form_factor: self.form_factor(factor)?,
            ..FitOptions::default()
        })
    }

    fn read_options(&self) -> Result<ReadOptions, String> {
        let text = self.wavelength.trim();
        let wavelength = if text.is_empty() {
            None
        } else {
            match text.parse::<f64>() {
                Ok(w) if w.is_finite() && w > 0.0 => Some(w),
                _ => return Err(format!("wavelength '{text}': give a positive number in Å")),
            }
        };
        Ok(ReadOptions {
            q_unit: self.unit,
            wavelength,
        })
    }

    /// Reads `bytes` as one pattern (binned to [`MAX_FIT_POINTS`]) or, when it has the
    /// columns of a series, as a series; nothing in the tab changes.
    fn load(&self, bytes: &[u8]) -> Result<(Loaded, Vec<String>), String> {
        let read = self.read_options()?;
        let words =
            |w: &[crate::saxs::read::ReadWarning]| w.iter().map(ToString::to_string).collect();
        match read_pattern(bytes, &read) {
            Ok(p) => {
                let p = p.binned(MAX_FIT_POINTS);
                let warnings = words(&p.warnings);
                Ok((Loaded::Single(Rc::new(p)), warnings))
            }
            Err(ReadError::MultiColumn { .. }) => {
                let series =
                    read_series(bytes, &read, SeriesLayout::Auto).map_err(|e| e.to_string())?;
                let series = if self.normalize {
                    series.normalized_by_first().map_err(|e| e.to_string())?
                } else {
                    series
                };
                let warnings = words(&series.warnings);
                Ok((Loaded::Series(Rc::new(series)), warnings))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Shows newly read data: the old fit, series and running worker go.
    fn show(&mut self, loaded: Loaded, warnings: Vec<String>) {
        if let Loaded::Series(s) = &loaded {
            self.frame = s.frames.len().saturating_sub(1);
        }
        self.loaded = Some(loaded);
        self.warnings = warnings;
        self.error = None;
        self.fit = None;
        self.fit_ms = None;
        self.worker = None;
        self.progress = None;
        self.retry = false;
        self.frames.clear();
        self.pending.clear();
    }

    /// Reads the current file again (the unit, wavelength or normalisation changed); when it
    /// cannot be read so, what is shown stays and the error says why.
    fn reread(&mut self) {
        let Some(bytes) = self.bytes.clone() else {
            return;
        };
        match self.load(&bytes) {
            Ok((loaded, warnings)) => self.show(loaded, warnings),
            Err(e) => {
                self.error = Some(format!("{e}. What is shown is from before this change."));
            }
        }
    }

    fn run_fit(&mut self, ctx: &Context<Self>) {
        self.error = None;
        let options = match self.options() {
            Ok(o) => o,
            Err(e) => {
                if self.loaded.is_some() {
                    self.error = Some(format!("{e}. Nothing was fitted."));
                }
                return;
            }
        };
        match &self.loaded {
            Some(Loaded::Single(p)) => {
                let spec = JobSpec::FitPattern(Box::new(FitPatternSpec::new(p, &options)));
                self.start_worker(ctx, &spec, 1);
            }
            Some(Loaded::Series(s)) => {
                if self.model == ModelChoice::Sphere {
                    self.error = Some("a series is fitted with lattice models; choose auto, alb2, nazn13 or alb2+nazn13".into());
                    return;
                }
                self.frames.clear();
                self.pending.clear();
                let spec = JobSpec::FitSeries(FitSeriesSpec::new(s, &options));
                let total = s.frames.len() as u64;
                self.start_worker(ctx, &spec, total);
            }
            None => self.error = Some("load a file or an example first".into()),
        }
    }

    /// Starts `spec` in a fresh worker (ending any running one) and shows its progress.
    fn start_worker(&mut self, ctx: &Context<Self>, spec: &JobSpec, total: u64) {
        self.worker = None;
        self.retry = false;
        self.run_id += 1;
        let id = self.run_id;
        let callback = ctx.link().callback(move |m| Msg::Worker(id, m));
        self.series_t0 = now_ms();
        match WorkerHandle::start(spec, Vec::new(), callback) {
            Ok(handle) => {
                self.worker = Some(handle);
                self.progress = Some((0, total));
                self.progress_note = "starting the worker".into();
            }
            Err(e) => {
                self.error = Some(format!("{} could not start: {e}", spec.describe()));
                self.retry = true;
            }
        }
    }

    fn parameters_json(&self) -> Option<String> {
        let unit = self.length_unit();
        if !self.frames.is_empty() {
            return serde_json::to_string_pretty(&self.frames).ok();
        }
        let fit = self.fit.as_ref()?;
        let v = match &**fit {
            PatternFit::Lattice(f) => {
                serde_json::json!({"model": f.name(), "length_unit": unit.length_unit(), "fit": f})
            }
            PatternFit::Sphere(f) => {
                serde_json::json!({"model": "sphere", "length_unit": unit.length_unit(), "fit": f})
            }
        };
        serde_json::to_string_pretty(&v).ok()
    }

    fn parameters_csv(&self) -> Option<String> {
        let mut out = String::from("time,structure,parameter,value,error\n");
        let mut push = |t: &str, s: &str, name: &str, q: &Quantity| {
            out.push_str(&format!("{t},{s},{name},{},{}\n", q.value, q.err));
        };
        if !self.frames.is_empty() {
            for f in &self.frames {
                for ph in &f.fit.phases {
                    for (name, q) in phase_rows(ph) {
                        if let Some(q) = q {
                            push(&f.time.to_string(), ph.label.as_str(), name, &q);
                        }
                    }
                }
            }
            return Some(out);
        }
        match &**self.fit.as_ref()? {
            PatternFit::Lattice(f) => {
                for ph in &f.phases {
                    for (name, q) in phase_rows(ph) {
                        if let Some(q) = q {
                            push("", ph.label.as_str(), name, &q);
                        }
                    }
                }
            }
            PatternFit::Sphere(f) => {
                for (name, q) in [
                    ("diameter", f.diameter),
                    ("diameter_sd", f.diameter_sd),
                    ("scale", f.scale),
                    ("background", f.background),
                ] {
                    push("", "sphere", name, &q);
                }
            }
        }
        Some(out)
    }

    fn pattern_chart(&self, pattern: &Pattern, fit: Option<&PatternFit>) -> (Chart, Option<Chart>) {
        let unit = pattern.unit.unit;
        let qlabel = match unit {
            QUnit::InverseNm => "q (nm⁻¹)",
            QUnit::InverseAngstrom => "q (Å⁻¹)",
        };
        let data: Vec<(f64, f64)> = pattern
            .q
            .iter()
            .copied()
            .zip(pattern.intensity.iter().copied())
            .collect();
        let mut chart = Chart::new("Data and fit", Axis::new(qlabel), Axis::new("S(q) or I(q)"))
            .with(PlotSeries::line("data", data).styled(Style::Points));
        let mut residuals = None;
        if let Some(fit) = fit {
            let curve = fit.curve(&pattern.q);
            chart = chart.with(PlotSeries::line(
                format!("fit ({})", fit.name()),
                pattern
                    .q
                    .iter()
                    .copied()
                    .zip(curve.iter().copied())
                    .collect(),
            ));
            let res: Vec<(f64, f64)> = pattern
                .q
                .iter()
                .zip(pattern.intensity.iter().zip(&curve))
                .map(|(&q, (&y, &m))| (q, y - m))
                .collect();
            residuals = Some(
                Chart::new("Residuals", Axis::new(qlabel), Axis::new("data − fit"))
                    .with(PlotSeries::line("residual", res)),
            );
            if let PatternFit::Lattice(f) = fit {
                for ph in &f.phases {
                    for pk in &ph.peaks {
                        if pk.amplitude.value > 0.0 {
                            chart.markers.push(Marker {
                                x: pk.q.value,
                                label: pk.label.clone(),
                            });
                        }
                    }
                }
            }
        }
        (chart, residuals)
    }

    fn view_table(&self, fit: &PatternFit) -> Html {
        let unit = self.length_unit().length_unit();
        match fit {
            PatternFit::Lattice(f) => html! {
                <div class="saxs-params">
                    <p class="saxs-verdict" data-explained={f.verdict.explained.to_string()}>{ f.verdict.message.clone() }</p>
                    <p class="saxs-evidence">{ format!("{} {} · χ²_red {} · BIC {:.1}", if f.explained() { "model" } else { "best attempt, not a structure found:" }, f.name(), fmt_g(f.evidence.chi2_reduced), f.evidence.bic) }</p>
                    if let Some(i) = &f.intensity {
                        <table class="saxs-table saxs-intensity"><caption>{ format!("I(q) = scale·P(q)·S(q) + background, P: {}", i.form_factor) }</caption><tbody>
                            <tr data-name="scale"><th>{ "scale" }</th><td>{ fmt_q(&i.scale) }</td></tr>
                            <tr data-name="background"><th>{ "background" }</th><td>{ fmt_q(&i.background) }</td></tr>
                        </tbody></table>
                    }
                    { for f.phases.iter().map(|ph| html! {
                        <table class="saxs-table" data-structure={ph.label.clone()}>
                            <caption>{ format!("{} (lengths in {unit})", ph.label.as_str()) }</caption>
                            <tbody>
                            { for phase_rows(ph).into_iter().filter_map(|(n, q)| q.map(|q| (n, q))).map(|(n, q)| html! {
                                <tr data-name={n}><th>{ n }</th><td>{ fmt_q(&q) }</td></tr>
                            }) }
                            </tbody>
                        </table>
                    }) }
                    <details><summary>{ "Models compared" }</summary>
                        <table class="saxs-table"><tbody>
                        { for f.compared.iter().map(|e| html! { <tr data-model={e.model.clone()}><th>{ e.model.clone() }</th><td>{ format!("χ²_red {} · BIC {:.1} · k {} · amplitudes {:?}", fmt_g(e.chi2_reduced), e.bic, e.n_params, e.amplitudes) }</td></tr> }) }
                        </tbody></table>
                    </details>
                </div>
            },
            PatternFit::Sphere(f) => html! {
                <div class="saxs-params">
                    <p class="saxs-evidence">{ format!("model sphere · χ²_red {}", fmt_g(f.chi2_reduced)) }</p>
                    <table class="saxs-table" data-structure="sphere"><caption>{ format!("Spheres (lengths in {unit})") }</caption><tbody>
                        <tr data-name="diameter"><th>{ "mean diameter" }</th><td>{ fmt_q(&f.diameter) }</td></tr>
                        <tr data-name="diameter_sd"><th>{ "spread (s.d.)" }</th><td>{ fmt_q(&f.diameter_sd) }</td></tr>
                        <tr><th>{ "scale" }</th><td>{ fmt_q(&f.scale) }</td></tr>
                        <tr><th>{ "background" }</th><td>{ fmt_q(&f.background) }</td></tr>
                    </tbody></table>
                </div>
            },
        }
    }

    fn view_pattern(&self, pattern: &Pattern, fit: Option<&PatternFit>, stem: &str) -> Html {
        let (chart, residuals) = self.pattern_chart(pattern, fit);
        html! {
            <div class="saxs-plots">
                <PlotView chart={Rc::new(chart)} width={720} height={380} file_stem={format!("{stem}-fit")} />
                if let Some(r) = residuals {
                    <PlotView chart={Rc::new(r)} width={720} height={180} file_stem={format!("{stem}-residuals")} scale_toggles={false} />
                }
                if let Some(f) = fit { { self.view_table(f) } }
            </div>
        }
    }
}

fn link_from_location() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.contains("r=").then_some(hash)
}

impl Component for SaxsTab {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let mut tab = Self {
            file_name: None,
            bytes: None,
            loaded: None,
            warnings: Vec::new(),
            error: None,
            model: ModelChoice::Auto,
            unit: None,
            wavelength: String::new(),
            core_l: String::new(),
            core_s: String::new(),
            per_peak: false,
            normalize: false,
            fit: None,
            fit_ms: None,
            worker: None,
            progress: None,
            progress_note: String::new(),
            run_id: 0,
            series_t0: 0.0,
            retry: false,
            pending: Vec::new(),
            frames: Vec::new(),
            frame: 0,
            link: None,
            notice: None,
            awaiting: None,
            drag: false,
            data_kind: DataKind::StructureFactor,
            core_d: String::new(),
            core_sd: String::new(),
            form_file: None,
            user_crystals: Vec::new(),
        };
        if let Some(hash) = link_from_location() {
            match SaxsShare::from_link(&hash).and_then(|s| s.settings().map(|st| (s, st))) {
                Ok((share, st)) => {
                    tab.model = st.model;
                    tab.unit = st.q_unit;
                    if let Some((l, s)) = st.cores {
                        tab.core_l = l.to_string();
                        tab.core_s = s.to_string();
                    }
                    tab.per_peak = st.per_peak_widths;
                    tab.normalize = st.normalize;
                    if let Some(text) = share.data.clone() {
                        tab.file_name = share.file_name.clone();
                        tab.bytes = Some(Rc::new(text.into_bytes()));
                        tab.reread();
                        tab.notice = Some("Settings and data restored from the link.".into());
                        tab.run_fit(ctx);
                    } else if share.data_hash.is_some() {
                        tab.notice = Some(format!(
                            "Settings restored from the link. The data were too large to embed: upload the same file ({}) and it will be checked against the link's hash.",
                            share.file_name.clone().unwrap_or_else(|| "the original file".into())
                        ));
                        tab.awaiting = Some(share);
                    } else {
                        tab.notice = Some("Settings restored from the link.".into());
                    }
                }
                Err(e) => tab.error = Some(format!("{e}. Default settings are used.")),
            }
        }
        tab
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Drag(over) => self.drag = over,
            Msg::File(name, bytes) => {
                self.drag = false;
                self.link = None;
                if let Some(share) = self.awaiting.take() {
                    self.notice = Some(if share.matches(&bytes) {
                        "The file matches the link's hash.".into()
                    } else {
                        "This file is not the one the link was made with (its hash differs); it is shown anyway.".into()
                    });
                } else {
                    self.notice = None;
                }
                match self.load(&bytes) {
                    Ok((loaded, warnings)) => {
                        self.file_name = Some(name);
                        self.bytes = Some(Rc::new(bytes));
                        self.show(loaded, warnings);
                        self.run_fit(ctx);
                    }
                    Err(e) => {
                        let kept = if self.loaded.is_some() {
                            " The data and fit shown before are kept."
                        } else {
                            ""
                        };
                        self.error = Some(format!("{name} could not be read: {e}.{kept}"));
                    }
                }
            }
            Msg::FileError(e) => self.error = Some(e),
            Msg::DataKind(k) => {
                self.data_kind = DataKind::ALL
                    .iter()
                    .find(|(_, v, _)| *v == k)
                    .map_or(DataKind::StructureFactor, |d| d.0);
            }
            Msg::CoreD(v) => self.core_d = v,
            Msg::CoreSd(v) => self.core_sd = v,
            Msg::FormFile(name, bytes) => match self.read_options().and_then(|read| {
                read_pattern(
                    &bytes,
                    &ReadOptions {
                        q_unit: None,
                        ..read
                    },
                )
                .map_err(|e| e.to_string())
            }) {
                Ok(p) => {
                    self.form_file = Some((name, Rc::new(p)));
                    self.data_kind = DataKind::Measured;
                    self.error = None;
                }
                Err(e) => {
                    self.error = Some(format!(
                        "the form factor {name} could not be read: {e}. Nothing else changed."
                    ));
                }
            },
            Msg::StructureFile(name, bytes) => {
                match parse_structure(&name, &bytes, &self.user_crystals) {
                    Ok(c) => {
                        self.notice = Some(format!(
                            "{} ({}) joins the candidates of the automatic fit; choose 'file' to fit it alone.",
                            c.label, c.name
                        ));
                        self.user_crystals.push(Arc::new(c));
                        self.error = None;
                    }
                    Err(e) => {
                        self.error = Some(format!("{e}. Nothing else changed."));
                    }
                }
            }
            Msg::RemoveStructure(name) => {
                self.user_crystals.retain(|c| c.name != name);
                if self.user_crystals.is_empty() && self.model == ModelChoice::File {
                    self.model = ModelChoice::Auto;
                }
            }
            Msg::Model(m) => {
                self.model = ModelChoice::parse(&m).unwrap_or_default();
            }
            Msg::Unit(u) => {
                self.unit = QUnit::parse(&u);
                self.reread();
            }
            Msg::Wavelength(w) => {
                self.wavelength = w;
                self.reread();
            }
            Msg::CoreL(v) => self.core_l = v,
            Msg::CoreS(v) => self.core_s = v,
            Msg::PerPeak => self.per_peak = !self.per_peak,
            Msg::Normalize => {
                self.normalize = !self.normalize;
                self.reread();
            }
            Msg::Fit => self.run_fit(ctx),
            Msg::Worker(id, message) => {
                if id != self.run_id {
                    return false;
                }
                self.on_worker(message);
            }
            Msg::Stop => self.stop(),
            Msg::Frame(i) => self.frame = i,
            Msg::Share => {
                let file = self.bytes.as_ref().map(|b| {
                    (
                        self.file_name.as_deref().unwrap_or("data.csv"),
                        b.as_slice(),
                    )
                });
                let share = SaxsShare::new(&self.settings(), file);
                match share.to_fragment() {
                    Ok(frag) => {
                        let base = web_sys::window()
                            .and_then(|w| w.location().href().ok())
                            .map(|h| h.split('#').next().unwrap_or_default().to_string())
                            .unwrap_or_default();
                        self.link = Some(format!("{base}{frag}"));
                        self.notice = Some(if share.data.is_some() {
                            "The link carries the settings and the data.".into()
                        } else {
                            "The data are too large for a link (over 8 KB compressed): the link carries the settings and the file's hash; whoever opens it uploads the same file.".into()
                        });
                    }
                    Err(e) => self.error = Some(format!("no link: {e}")),
                }
            }
            Msg::ExportCsv => {
                if let Some(csv) = self.parameters_csv() {
                    if let Err(e) = save_text("saxs-parameters.csv", "text/csv", &csv) {
                        self.error = Some(e);
                    }
                }
            }
            Msg::ExportJson => {
                if let Some(json) = self.parameters_json() {
                    if let Err(e) = save_text("saxs-parameters.json", "application/json", &json) {
                        self.error = Some(e);
                    }
                }
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let onpick = picker(link, Msg::File);
        let ondrop = {
            let link = link.clone();
            Callback::from(move |e: DragEvent| {
                e.prevent_default();
                if let Some(file) = e
                    .data_transfer()
                    .and_then(|d| d.files())
                    .and_then(|f| f.get(0))
                {
                    link.send_future(read_file(file, Msg::File));
                }
            })
        };
        let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
        let ondragenter = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::Drag(true)
        });
        let ondragleave = link.callback(|_: DragEvent| Msg::Drag(false));
        let select = |f: fn(String) -> Msg| {
            link.callback(move |e: Event| f(e.target_unchecked_into::<HtmlSelectElement>().value()))
        };
        let text = |f: fn(String) -> Msg| {
            link.callback(move |e: InputEvent| {
                f(e.target_unchecked_into::<HtmlInputElement>().value())
            })
        };
        let unit_value = match self.unit {
            None => "",
            Some(QUnit::InverseNm) => "nm-1",
            Some(QUnit::InverseAngstrom) => "A-1",
        };
        let unit_note = match &self.loaded {
            Some(Loaded::Single(p)) => Some(&p.unit),
            Some(Loaded::Series(s)) => Some(&s.unit),
            None => None,
        }
        .map(|u| {
            format!(
                "q unit: {} ({:?}: {})",
                u.unit
                    .length_unit()
                    .replace("nm", "nm⁻¹")
                    .replace('Å', "Å⁻¹"),
                u.origin,
                u.reason
            )
        });
        html! {
            <section class="saxs" id="panel-saxs">
                <h2>{ "SAXS fit" }</h2>
                <p class="saxs-intro">{ "Drop a file of S(q) or I(q) — CSV or columns of text (pyFAI, Fit2D chi, BioXTAS RAW), Anton Paar PDH, canSAS XML or NXcanSAS HDF5 — or a time series (q, then one column per time) to index its peaks and fit every crystal of the catalogue (and your own structure files), mixtures, or dilute spheres; S(q), or I(q) with the cores' form factor." }</p>
                <div class={classes!("saxs-drop", self.drag.then_some("over"))} ondrop={ondrop} ondragover={ondragover} ondragenter={ondragenter} ondragleave={ondragleave}>
                    <label class="saxs-pick">{ "Choose a file" }<input type="file" accept=".csv,.txt,.dat,.tsv,.xy,.chi,.pdh,.xml,.h5,.hdf,.hdf5,.nxs" onchange={onpick} /></label>
                    <span>{ " or drop it here · examples: " }</span>
                    { for EXAMPLES.iter().map(|&(label, name, body)| {
                        let cb = link.callback(move |_: MouseEvent| Msg::File(name.to_string(), body.as_bytes().to_vec()));
                        html! { <button class="saxs-example" onclick={cb}>{ label }</button> }
                    }) }
                </div>
                if let Some(n) = &self.notice { <p class="saxs-notice">{ n }</p> }
                if let Some(e) = &self.error { <p class="saxs-error" role="alert">{ e }</p> }
                if !self.warnings.is_empty() {
                    <details class="saxs-warnings" open=true>
                        <summary>{ format!("{} problem(s) in the file; the readable rows were kept", self.warnings.len()) }</summary>
                        <ul>{ for self.warnings.iter().map(|w| html! { <li>{ w }</li> }) }</ul>
                    </details>
                }
                <div class="saxs-settings">
                    <label>{ "Model " }
                        <select onchange={select(Msg::Model)}>
                            { for ModelChoice::menu().into_iter().chain((!self.user_crystals.is_empty()).then_some(ModelChoice::File)).map(|m| html! { <option value={m.name()} selected={m == self.model}>{ m.name() }</option> }) }
                        </select>
                    </label>
                    <label>{ "q unit " }
                        <select onchange={select(Msg::Unit)}>
                            <option value="" selected={unit_value.is_empty()}>{ "from the file" }</option>
                            <option value="nm-1" selected={unit_value == "nm-1"}>{ "nm⁻¹" }</option>
                            <option value="A-1" selected={unit_value == "A-1"}>{ "Å⁻¹" }</option>
                        </select>
                    </label>
                    <label>{ "λ for 2θ (Å) " }<input class="saxs-wavelength" type="text" placeholder="from the file" value={self.wavelength.clone()} onchange={link.callback(|e: Event| Msg::Wavelength(e.target_unchecked_into::<HtmlInputElement>().value()))} /></label>
                    <label>{ "σ_L (nm) " }<input class="saxs-core" type="text" value={self.core_l.clone()} oninput={text(Msg::CoreL)} /></label>
                    <select onchange={select(Msg::CoreL)}>
                        <option value="" selected=true>{ "preset…" }</option>
                        { for LARGE_CORES.iter().map(|(n, v)| html! { <option value={v.to_string()}>{ *n }</option> }) }
                    </select>
                    <label>{ "σ_S (nm) " }<input class="saxs-core" type="text" value={self.core_s.clone()} oninput={text(Msg::CoreS)} /></label>
                    <select onchange={select(Msg::CoreS)}>
                        <option value="" selected=true>{ "preset…" }</option>
                        { for SMALL_CORES.iter().map(|(n, v)| html! { <option value={v.to_string()}>{ *n }</option> }) }
                    </select>
                    <label><input type="checkbox" checked={self.per_peak} onchange={link.callback(|_| Msg::PerPeak)} />{ " width per peak" }</label>
                    <label>{ "data " }
                        <select class="saxs-data-kind" onchange={select(Msg::DataKind)}>
                            { for DataKind::ALL.iter().map(|&(k, v, label)| html! { <option value={v} selected={k == self.data_kind}>{ label }</option> }) }
                        </select>
                    </label>
                    if self.data_kind == DataKind::Spheres {
                        <label>{ "D (nm) " }<input class="saxs-core-d" type="text" value={self.core_d.clone()} oninput={text(Msg::CoreD)} /></label>
                        <label>{ "σ_D (nm) " }<input class="saxs-core-sd" type="text" value={self.core_sd.clone()} oninput={text(Msg::CoreSd)} /></label>
                    }
                    if self.data_kind == DataKind::Measured {
                        <label class="saxs-form-pick">{ self.form_file.as_ref().map_or("P(q) file…".to_string(), |(n, _)| format!("P(q): {n}")) }<input type="file" onchange={picker(link, Msg::FormFile)} /></label>
                    }
                    <label class="saxs-structure-pick">{ "Structure file (TOML/JSON)…" }<input type="file" accept=".toml,.json,.txt" onchange={picker(link, Msg::StructureFile)} /></label>
                    <label><input type="checkbox" checked={self.normalize} onchange={link.callback(|_| Msg::Normalize)} />{ " series: S = I/I(t₀)" }</label>
                    <button class="saxs-fit" onclick={link.callback(|_| Msg::Fit)}>{ "Fit" }</button>
                    <button onclick={link.callback(|_| Msg::Share)}>{ "Share link" }</button>
                    <button onclick={link.callback(|_| Msg::ExportCsv)}>{ "Parameters CSV" }</button>
                    <button onclick={link.callback(|_| Msg::ExportJson)}>{ "Parameters JSON" }</button>
                </div>
                if !self.user_crystals.is_empty() {
                    <ul class="saxs-structures">
                        { for self.user_crystals.iter().map(|c| {
                            let name = c.name.clone();
                            let remove = link.callback(move |_: MouseEvent| Msg::RemoveStructure(name.clone()));
                            let (l, s) = c.counts();
                            html! { <li data-structure={c.name.clone()}>{ format!("{} ({}, {:?}, {l} L + {s} S per cell) ", c.label, c.name, c.lattice) }<button onclick={remove}>{ "remove" }</button></li> }
                        }) }
                    </ul>
                }
                if let Some(u) = unit_note { <p class="saxs-unit">{ u }</p> }
                if let Some(l) = &self.link { <p class="saxs-link"><input readonly=true value={l.clone()} /></p> }
                if let (Some((name, ms)), None) = (&self.fit_ms, &self.progress) {
                    <p class="saxs-timing" data-ms={format!("{ms:.1}")} data-run={self.run_id.to_string()}>{ format!("{name}: fitted in {ms:.0} ms") }</p>
                }
                if let (Some((done, total)), Some(Loaded::Single(_))) = (self.progress, &self.loaded) {
                    <div class="saxs-progress">
                        <progress max={total.to_string()} value={done.to_string()}></progress>
                        <span>{ format!("{} in the background…", self.progress_note) }</span>
                        <button onclick={link.callback(|_| Msg::Stop)}>{ "Stop" }</button>
                    </div>
                }
                if self.retry {
                    <p class="saxs-retry"><button onclick={link.callback(|_| Msg::Fit)}>{ "Retry the fit" }</button></p>
                }
                { match &self.loaded {
                    Some(Loaded::Single(p)) => self.view_pattern(p, self.fit.as_deref(), "saxs"),
                    Some(Loaded::Series(s)) => self.view_series(ctx, s),
                    None => html! {},
                } }
            </section>
        }
    }
}
