//! The state points of a `bnsl phase-diagram` campaign, computed depth by depth with several
//! depths at once (`--jobs`). A depth's points depend only on that depth's points before them
//! ([`CampaignSpec::resolve`]: the crystal scan and the Frenkel–Ladd density look at the same
//! depth only) and each point's seed comes from its place in the plan, so the results and the
//! checkpoints are the same for any number of jobs.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use super::error::CliError;
use super::phase_diagram::Checkpoints;
use crate::thermo::campaign::{CampaignSpec, PlannedPoint, PointResult};
use crate::thermo::{Progress, ThermoError};

/// What a campaign's run produced: the points in plan order and how they came about.
pub(super) struct Outcome {
    /// Every point on the plan that was not skipped, in plan order, with its result.
    pub results: Vec<(PlannedPoint, PointResult)>,
    /// Wall time of the points, summed (this session's and earlier sessions' checkpoints).
    pub wall_s: f64,
    /// Points computed now.
    pub computed: usize,
    /// Points read from earlier checkpoints.
    pub resumed: usize,
    /// Crystal points past their depth's stable branch, not run.
    pub skipped_scan: usize,
}

impl Outcome {
    fn empty() -> Self {
        Self {
            results: Vec::new(),
            wall_s: 0.0,
            computed: 0,
            resumed: 0,
            skipped_scan: 0,
        }
    }

    fn append(&mut self, other: Self) {
        self.results.extend(other.results);
        self.wall_s += other.wall_s;
        self.computed += other.computed;
        self.resumed += other.resumed;
        self.skipped_scan += other.skipped_scan;
    }
}

/// Runs every point of `plan` not already in `checkpoints`, `jobs` depths at once, writing each
/// point's checkpoint as soon as it is computed; a progress bar with the time left on stderr.
///
/// # Errors
/// The first failure in plan order ([`CliError::StatePoint`] naming the point, or a checkpoint
/// that cannot be read or written); the other depths stop at their next step, and every
/// checkpoint written before stays for `--resume`.
pub(super) fn run_plan(
    spec: &CampaignSpec,
    plan: &[PlannedPoint],
    jobs: usize,
    checkpoints: &Checkpoints,
) -> Result<Outcome, CliError> {
    let depths: Vec<&[PlannedPoint]> = plan.chunk_by(|a, b| a.depth == b.depth).collect();
    let workers = jobs.clamp(1, depths.len().max(1));
    let total = plan.iter().map(|p| spec.steps(p.kind)).sum();
    let shared = Shared {
        spec,
        checkpoints,
        bar: Mutex::new(Bar::new(total, workers)),
        failed: AtomicBool::new(false),
    };
    let next = AtomicUsize::new(0);
    let outcomes: Vec<Mutex<Option<Result<Outcome, CliError>>>> =
        depths.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (shared, next, outcomes, depths) = (&shared, &next, &outcomes, &depths);
            scope.spawn(move || loop {
                let at = next.fetch_add(1, Ordering::SeqCst);
                if at >= depths.len() || shared.failed.load(Ordering::SeqCst) {
                    break;
                }
                let outcome = shared.run_depth(depths[at], worker);
                if outcome.is_err() {
                    shared.failed.store(true, Ordering::SeqCst);
                }
                *outcomes[at].lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
            });
        }
    });
    let mut all = Outcome::empty();
    let mut interrupted = None;
    for slot in outcomes {
        match slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(Ok(outcome)) => all.append(outcome),
            Some(Err(CliError::StatePoint { point, source }))
                if matches!(*source, ThermoError::Stopped) =>
            {
                interrupted.get_or_insert(CliError::StatePoint { point, source });
            }
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    interrupted.map_or(Ok(all), Err)
}

/// What the workers share: the campaign, its checkpoints, the bar, and whether one failed.
struct Shared<'a> {
    spec: &'a CampaignSpec,
    checkpoints: &'a Checkpoints<'a>,
    bar: Mutex<Bar>,
    failed: AtomicBool,
}

impl Shared<'_> {
    /// The points of one depth, in plan order, on thread `worker`.
    fn run_depth(&self, points: &[PlannedPoint], worker: usize) -> Result<Outcome, CliError> {
        let mut outcome = Outcome::empty();
        for planned in points {
            let steps = self.spec.steps(planned.kind);
            let Some(point) = self.spec.resolve(planned, &outcome.results) else {
                self.bar().finish(worker, steps, false);
                outcome.skipped_scan += 1;
                continue;
            };
            if let Some((result, wall_s)) = self.checkpoints.read(&point)? {
                self.bar().finish(worker, steps, false);
                outcome.results.push((point, result));
                outcome.wall_s += wall_s;
                outcome.resumed += 1;
                continue;
            }
            let label = format!(
                "point {} ({}, ε/kT {}, ρσ³ {})",
                point.index + 1,
                point.kind.name(),
                point.depth,
                point.rho
            );
            let started = Instant::now();
            let computed = self
                .spec
                .run_point(&point, &mut |p: Progress| {
                    self.bar().advance(worker, p.done, &label);
                    !self.failed.load(Ordering::SeqCst)
                })
                .map_err(|source| CliError::StatePoint {
                    point: point.name(),
                    source: Box::new(source),
                })?;
            let wall_s = started.elapsed().as_secs_f64();
            self.checkpoints.write(&point, &computed, wall_s)?;
            self.bar().finish(worker, steps, true);
            outcome.results.push((point, computed.result));
            outcome.wall_s += wall_s;
            outcome.computed += 1;
        }
        Ok(outcome)
    }

    fn bar(&self) -> std::sync::MutexGuard<'_, Bar> {
        self.bar.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Progress on stderr: a bar, the point last advanced, the time left at this session's pace.
struct Bar {
    total: u64,
    started: Instant,
    /// Steps of the points finished or skipped.
    finished: u64,
    /// Steps computed in this session and finished (skipped points do not set the pace).
    computed: u64,
    /// Steps done of the point each worker is computing.
    in_flight: Vec<u64>,
    /// The point last shown.
    label: String,
    last: f64,
}

impl Bar {
    fn new(total: u64, workers: usize) -> Self {
        Self {
            total,
            started: Instant::now(),
            finished: 0,
            computed: 0,
            in_flight: vec![0; workers],
            label: String::new(),
            last: f64::NEG_INFINITY,
        }
    }

    /// `worker` is `done` steps into its point.
    fn advance(&mut self, worker: usize, done: u64, label: &str) {
        self.in_flight[worker] = done;
        if self.started.elapsed().as_secs_f64() - self.last >= 1.0 {
            label.clone_into(&mut self.label);
            self.show();
        }
    }

    /// `worker` finished (or skipped, `computed` false) a point of `steps` steps.
    fn finish(&mut self, worker: usize, steps: u64, computed: bool) {
        self.in_flight[worker] = 0;
        self.finished += steps;
        if computed {
            self.computed += steps;
            self.show();
        }
    }

    fn show(&mut self) {
        let t = self.started.elapsed().as_secs_f64();
        self.last = t;
        let flying: u64 = self.in_flight.iter().sum();
        let done = self.finished + flying;
        let computed = self.computed + flying;
        let fraction = done as f64 / self.total.max(1) as f64;
        let filled = ((fraction * 30.0).round() as usize).min(30);
        let left = if computed > 0 {
            let seconds = t / computed as f64 * self.total.saturating_sub(done) as f64;
            format!("{} left", human(seconds))
        } else {
            "time left: after the first steps".into()
        };
        let _ = write!(
            std::io::stderr(),
            "\r[{}{}] {:5.1} % {}, {left}      ",
            "#".repeat(filled),
            ".".repeat(30 - filled),
            100.0 * fraction,
            self.label,
        );
    }
}

fn human(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 5400.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}
