//! The analysis of one frame, cut into stages (one per classifier, then local density, g(r)
//! and S(q)) so that a worker can report progress and be stopped between them.

use super::report::{ClassifierReport, Curve, DensityReport, FrameReport, Histogram, RuleReport};
use super::settings::AnalysisSettings;
use super::species::fold_subtypes;
use super::PipelineError;
use crate::analysis::structure_factor::{debye, reciprocal_lattice};
use crate::analysis::{
    AnalysisError, Classifier, LocalDensity, NeighborQuery, Rdf, Rule, TypeFilter,
};
use crate::model::{Frame, Geometry};

/// Grid spacing of the Debye sum's pair-distance histogram (σ).
const DEBYE_BIN: f64 = 0.005;
/// g(r) partials are given for at most this many types (else only the total).
const MAX_PARTIAL_TYPES: usize = 4;

/// The analysis of one frame in progress.
#[derive(Debug)]
pub struct FrameWork {
    frame: Frame,
    query: NeighborQuery,
    settings: AnalysisSettings,
    large: u32,
    stage: usize,
    report: FrameReport,
}

/// What a stage does.
enum Stage {
    Classifier(usize),
    Density,
    Rdf,
    StructureFactor,
}

impl FrameWork {
    /// Prepares the analysis of `frame` (index `index` in its trajectory).
    ///
    /// # Errors
    /// Invalid settings, bad positions or box, or no particle of the large type.
    pub fn new(
        index: u64,
        frame: &Frame,
        settings: &AnalysisSettings,
    ) -> Result<Self, PipelineError> {
        let issues = settings.validate();
        if !issues.is_empty() {
            return Err(PipelineError::Settings(issues));
        }
        let frame = if settings.fold_subtypes {
            fold_subtypes(frame).unwrap_or_else(|| frame.clone())
        } else {
            frame.clone()
        };
        let at = |what: &str| {
            let what = what.to_owned();
            move |source| PipelineError::Analysis {
                frame: index,
                what,
                source,
            }
        };
        let large = frame
            .types
            .iter()
            .position(|t| *t == settings.large_type)
            .ok_or_else(|| AnalysisError::UnknownType {
                name: settings.large_type.clone(),
                known: frame.types.clone(),
            })
            .map_err(at("large type"))? as u32;
        let query = NeighborQuery::from_frame(&frame).map_err(at("positions"))?;
        let report = FrameReport {
            frame: index,
            step: frame.step,
            particles: frame.len(),
            large: frame.typeid.iter().filter(|&&t| t == large).count(),
            types: frame.types.clone(),
            classifiers: Vec::with_capacity(settings.classifiers.len()),
            density: DensityReport {
                histogram: Histogram::of(&[], 0.0, 1.0, 1),
                mean: f64::NAN,
                dense: Vec::new(),
            },
            rdf: Vec::new(),
            structure_factor: Curve {
                name: "S(q)".to_owned(),
                x: Vec::new(),
                y: Vec::new(),
            },
            structure_factor_method: String::new(),
        };
        Ok(Self {
            frame,
            query,
            settings: settings.clone(),
            large,
            stage: 0,
            report,
        })
    }

    /// Analyses a whole frame at once.
    ///
    /// # Errors
    /// As [`FrameWork::new`] and [`FrameWork::advance`].
    pub fn run(
        index: u64,
        frame: &Frame,
        settings: &AnalysisSettings,
    ) -> Result<FrameReport, PipelineError> {
        let mut work = Self::new(index, frame, settings)?;
        while !work.advance()? {}
        Ok(work.finish())
    }

    /// Number of stages.
    #[must_use]
    pub fn stages(&self) -> usize {
        self.settings.classifiers.len() + 3
    }

    /// Number of stages done.
    #[must_use]
    pub fn stages_done(&self) -> usize {
        self.stage
    }

    /// The name of the next stage (for progress notes).
    #[must_use]
    pub fn next_stage_name(&self) -> String {
        match self.stage_kind(self.stage) {
            Some(Stage::Classifier(c)) => self.settings.classifiers[c].name.clone(),
            Some(Stage::Density) => "local density".to_owned(),
            Some(Stage::Rdf) => "g(r)".to_owned(),
            Some(Stage::StructureFactor) => "S(q)".to_owned(),
            None => "done".to_owned(),
        }
    }

    fn stage_kind(&self, stage: usize) -> Option<Stage> {
        let nc = self.settings.classifiers.len();
        match stage {
            s if s < nc => Some(Stage::Classifier(s)),
            s if s == nc => Some(Stage::Density),
            s if s == nc + 1 => Some(Stage::Rdf),
            s if s == nc + 2 => Some(Stage::StructureFactor),
            _ => None,
        }
    }

    /// Runs the next stage; `true` when every stage is done.
    ///
    /// # Errors
    /// [`PipelineError::Analysis`] naming the frame and the stage.
    pub fn advance(&mut self) -> Result<bool, PipelineError> {
        let index = self.report.frame;
        let Some(stage) = self.stage_kind(self.stage) else {
            return Ok(true);
        };
        let name = self.next_stage_name();
        let at = |source| PipelineError::Analysis {
            frame: index,
            what: name.clone(),
            source,
        };
        match stage {
            Stage::Classifier(c) => {
                let r = self.classify(c).map_err(at)?;
                self.report.classifiers.push(r);
            }
            Stage::Density => self.report.density = self.density().map_err(at)?,
            Stage::Rdf => self.report.rdf = self.rdf().map_err(at)?,
            Stage::StructureFactor => {
                let (curve, method) = self.structure_factor().map_err(at)?;
                self.report.structure_factor = curve;
                self.report.structure_factor_method = method;
            }
        }
        self.stage += 1;
        Ok(self.stage >= self.stages())
    }

    /// The report (complete once [`FrameWork::advance`] returned `true`).
    #[must_use]
    pub fn finish(self) -> FrameReport {
        self.report
    }

    fn classify(&self, c: usize) -> Result<ClassifierReport, AnalysisError> {
        let classifier: &Classifier = &self.settings.classifiers[c];
        let result = classifier.classify_points(&self.query, &self.frame.types)?;
        let typeid = &self.frame.typeid;
        let crystalline_large = result
            .centres
            .iter()
            .zip(&result.crystalline)
            .filter(|(&i, &x)| x && typeid.get(i) == Some(&self.large))
            .count();
        let rules = classifier
            .rules
            .iter()
            .zip(&result.values)
            .map(|(rule, values)| {
                let (label, comparison, threshold) = describe(rule);
                let passing = values
                    .iter()
                    .filter(|&&v| comparison.holds(v, threshold))
                    .count() as f64
                    / values.len().max(1) as f64;
                RuleReport {
                    label,
                    comparison,
                    threshold,
                    histogram: Histogram::of(values, 0.0, 1.0, self.settings.order_bins),
                    passing,
                }
            })
            .collect();
        Ok(ClassifierReport {
            name: classifier.name.clone(),
            fraction: result.fraction_of_type(typeid, self.large),
            crystalline_large,
            rules,
            labels: result.fig4_labels(typeid, self.large),
        })
    }

    fn density(&self) -> Result<DensityReport, AnalysisError> {
        let d = &self.settings.density;
        let out = LocalDensity {
            r_max: d.r_max,
            diameter: d.diameter,
        }
        .compute(&self.query, &TypeFilter::all())?;
        let n = out.density.len().max(1) as f64;
        Ok(DensityReport {
            histogram: Histogram::of(&out.density, 0.0, d.histogram_max, d.bins),
            mean: out.density.iter().sum::<f64>() / n,
            dense: d
                .thresholds
                .iter()
                .map(|t| {
                    let above = out.density.iter().filter(|&&x| x > t.value).count();
                    (t.name.clone(), t.value, above as f64 / n)
                })
                .collect(),
        })
    }

    /// Volume for g(r) in open space: the droplet's sphere, else the sphere around the centroid
    /// holding every particle.
    fn open_volume(&self) -> f64 {
        let radius = match self.frame.geometry {
            Geometry::Open {
                radius: Some(radius),
            } => radius,
            _ => {
                let p = &self.frame.positions;
                let n = p.len().max(1) as f64;
                let c = [0, 1, 2].map(|d| p.iter().map(|x| x[d]).sum::<f64>() / n);
                p.iter()
                    .map(|x| {
                        ((x[0] - c[0]).powi(2) + (x[1] - c[1]).powi(2) + (x[2] - c[2]).powi(2))
                            .sqrt()
                    })
                    .fold(0.0, f64::max)
            }
        };
        4.0 / 3.0 * std::f64::consts::PI * radius.powi(3)
    }

    fn rdf(&self) -> Result<Vec<Curve>, AnalysisError> {
        let r_max = match self.query.geometry() {
            Geometry::Periodic(l) => {
                let half = 0.5 * l[0].min(l[1]).min(l[2]) * 0.999;
                self.settings.rdf.r_max.min(half)
            }
            Geometry::Open { .. } => self.settings.rdf.r_max,
        };
        let rdf = Rdf {
            bins: self.settings.rdf.bins,
            r_max,
            r_min: 0.0,
        };
        let volume = match self.query.geometry() {
            Geometry::Periodic(_) => None,
            Geometry::Open { .. } => Some(self.open_volume()),
        };
        let total = rdf.compute(&self.query, None, None, volume)?;
        let mut curves = vec![Curve {
            name: "total".to_owned(),
            x: total.r,
            y: total.g,
        }];
        let types = &self.frame.types;
        let present = |t: u32| self.frame.typeid.contains(&t);
        if types.len() > 1 && types.len() <= MAX_PARTIAL_TYPES {
            for a in 0..types.len() as u32 {
                for b in a..types.len() as u32 {
                    if !(present(a) && present(b)) {
                        continue;
                    }
                    let g = rdf.compute(&self.query, Some(&[a]), Some(&[b]), volume)?;
                    curves.push(Curve {
                        name: format!("{}–{}", types[a as usize], types[b as usize]),
                        x: g.r,
                        y: g.g,
                    });
                }
            }
        }
        Ok(curves)
    }

    fn structure_factor(&self) -> Result<(Curve, String), AnalysisError> {
        let s = &self.settings.structure_factor;
        let n = self.query.len();
        match self.query.geometry() {
            Geometry::Periodic(_) => {
                let sq = reciprocal_lattice(&self.query, s.q_max, s.dq, s.vectors_per_shell, None)?;
                Ok((
                    Curve {
                        name: "S(q)".to_owned(),
                        x: sq.q,
                        y: sq.s,
                    },
                    format!(
                        "reciprocal lattice of the box, all {n} particles, up to {} wave vectors per shell of {} σ⁻¹",
                        s.vectors_per_shell, s.dq
                    ),
                ))
            }
            Geometry::Open { .. } => {
                let stride = n.div_ceil(s.debye_particles).max(1);
                let chosen: Vec<usize> = (0..n).step_by(stride).collect();
                let positions: Vec<[f64; 3]> =
                    chosen.iter().map(|&i| self.query.positions()[i]).collect();
                let typeid: Vec<u32> = chosen.iter().map(|&i| self.query.typeid()[i]).collect();
                let sub = NeighborQuery::new(Geometry::UNBOUNDED, &positions, &typeid)?;
                let steps = (s.q_max / s.dq).floor() as usize;
                let q: Vec<f64> = (1..=steps).map(|k| k as f64 * s.dq).collect();
                let sq = debye(&sub, &q, DEBYE_BIN, None)?;
                let method = if stride == 1 {
                    format!("Debye sum over all {n} particles")
                } else {
                    format!(
                        "Debye sum over {} of {n} particles (every {stride}th)",
                        chosen.len()
                    )
                };
                Ok((
                    Curve {
                        name: "S(q)".to_owned(),
                        x: sq.q,
                        y: sq.s,
                    },
                    method,
                ))
            }
        }
    }
}

/// A rule's value in words, its comparison and threshold.
fn describe(rule: &Rule) -> (String, crate::analysis::Comparison, f64) {
    let among = |k: &usize, neighbors: &Option<Vec<String>>| match neighbors {
        None => format!("{k} nearest"),
        Some(t) => format!("{k} nearest {}", t.join("/")),
    };
    match rule {
        Rule::Order {
            l,
            k,
            neighbors,
            comparison,
            threshold,
        } => (
            format!("q{l} over {}", among(k, neighbors)),
            *comparison,
            *threshold,
        ),
        Rule::Composition {
            k,
            neighbors,
            count,
            comparison,
            threshold,
        } => (
            format!("fraction {} among {}", count.join("/"), among(k, neighbors)),
            *comparison,
            *threshold,
        ),
    }
}
