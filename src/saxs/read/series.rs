//! Time series of scattering curves: wide (q, then one column per time) or long (time, q, S).

use super::axis::Axis;
use super::pattern::header_text;
use super::table::{decode, modal_width, tabulate, Table};
use super::time::{time_in, TimeUnit};
use super::{ReadError, ReadOptions, ReadWarning, UnitChoice, Warnings};
use serde::Serialize;

/// How a series is laid out in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SeriesLayout {
    /// Decide from the header and the data.
    #[default]
    Auto,
    /// q in the first column, one column per time; times in the header.
    Wide,
    /// Three columns: time, q, intensity.
    Long,
}

/// A time series on one q grid, frames sorted by time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    /// Scattering vector, strictly increasing, > 0.
    pub q: Vec<f64>,
    /// Time of each frame, increasing, in [`Series::time_unit`] (the file's unit).
    pub times: Vec<f64>,
    /// The unit of the times when the header states one ("ms", "s", "min", "h"); headers
    /// with mixed units are converted to seconds.
    pub time_unit: Option<&'static str>,
    /// `frames[t][i]`: intensity at time `times[t]` and `q[i]`.
    pub frames: Vec<Vec<f64>>,
    /// Unit of q.
    pub unit: UnitChoice,
    /// What was wrong with the input and how it was handled.
    pub warnings: Vec<ReadWarning>,
}

impl Series {
    /// S(q, t) = I(q, t)/I(q, t₀), t₀ the first frame (SCIENCE.md §5). q points where
    /// I(q, t₀) is not positive are dropped and reported.
    ///
    /// # Errors
    /// [`ReadError::Series`] when no q point has a positive first-frame intensity.
    pub fn normalized_by_first(&self) -> Result<Series, ReadError> {
        let Some(first) = self.frames.first() else {
            return Err(ReadError::Series("no frames".to_string()));
        };
        let keep: Vec<usize> = (0..self.q.len()).filter(|&i| first[i] > 0.0).collect();
        let mut warnings = Warnings::default();
        warnings.extend(self.warnings.clone());
        if keep.len() < self.q.len() {
            let bad = (0..self.q.len()).find(|&i| first[i] <= 0.0 || !first[i].is_finite());
            warnings.push(
                None,
                None,
                format!(
                    "{} q point(s) dropped where I(q, t₀) ≤ 0 (first at q = {})",
                    self.q.len() - keep.len(),
                    bad.map_or(f64::NAN, |i| self.q[i])
                ),
            );
        }
        if keep.len() < 3 {
            return Err(ReadError::Series(
                "fewer than 3 q points with positive intensity in the first frame".to_string(),
            ));
        }
        Ok(Series {
            q: keep.iter().map(|&i| self.q[i]).collect(),
            times: self.times.clone(),
            time_unit: self.time_unit,
            frames: self
                .frames
                .iter()
                .map(|f| keep.iter().map(|&i| f[i] / first[i]).collect())
                .collect(),
            unit: self.unit.clone(),
            warnings: warnings.finish(),
        })
    }

    /// Frame `t` as a [`super::Pattern`] (no errors, the series' unit).
    #[must_use]
    pub fn frame(&self, t: usize) -> Option<super::Pattern> {
        self.frames
            .get(t)
            .map(|f| super::Pattern::from_arrays(self.q.clone(), f.clone(), self.unit.clone()))
    }
}

/// Reads a time series. See [`SeriesLayout`] for the layouts.
///
/// # Errors
/// [`ReadError`] when the file is unusable or the frames cannot share a q grid.
pub fn read_series(
    bytes: &[u8],
    options: &ReadOptions,
    layout: SeriesLayout,
) -> Result<Series, ReadError> {
    let text = decode(bytes)?;
    let mut warnings = Warnings::default();
    let table = tabulate(text, &mut warnings)?;
    if table.rows.is_empty() {
        return Err(ReadError::NoData {
            detail: "only a header".to_string(),
        });
    }
    let width = modal_width(&table.rows);
    if width < 3 {
        return Err(ReadError::TooFewColumns {
            line: table.rows[0].line,
            found: width,
            need: 3,
            what: "a series: q and two or more times, or time, q and intensity",
        });
    }
    let layout = match layout {
        SeriesLayout::Auto => detect_layout(&table, width),
        l => l,
    };
    let mut header = header_text(&table);
    let q_column = if layout == SeriesLayout::Long { 1 } else { 0 };
    let q_name = table.header.as_ref().and_then(|h| h.cells.get(q_column));
    if let Some(h) = q_name {
        header.insert_str(0, &format!("{h}\n"));
    }
    let axis = Axis::decide(
        options.q_unit,
        options.wavelength,
        None,
        q_name.map(String::as_str),
        &header,
    )?;
    let (q, times, frames, time_unit) = match layout {
        SeriesLayout::Long => long(&table, &axis, &mut warnings)?,
        _ => wide(&table, width, &axis, &mut warnings)?,
    };
    let q_max = q.last().copied().unwrap_or(0.0);
    Ok(Series {
        unit: axis.unit_choice(q_max),
        q,
        times,
        time_unit,
        frames,
        warnings: warnings.finish(),
    })
}

fn detect_layout(table: &Table, width: usize) -> SeriesLayout {
    if width != 3 {
        return SeriesLayout::Wide;
    }
    if let Some(h) = &table.header {
        let first = h
            .cells
            .first()
            .map(|c| c.to_lowercase())
            .unwrap_or_default();
        if first.starts_with('t') || first.contains("time") || first.contains("frame") {
            return SeriesLayout::Long;
        }
        if first.starts_with('q') {
            return SeriesLayout::Wide;
        }
    }
    // Without a telling header: repeated values in the first column mean a long table.
    let firsts: Vec<f64> = table
        .rows
        .iter()
        .filter_map(|r| r.cells.first().and_then(|c| table.number(c)))
        .collect();
    let repeats = firsts.windows(2).filter(|w| w[0] == w[1]).count();
    if repeats * 2 > firsts.len() {
        SeriesLayout::Long
    } else {
        SeriesLayout::Wide
    }
}

/// q, times, frames and the unit of the times.
type Assembled = (Vec<f64>, Vec<f64>, Vec<Vec<f64>>, Option<&'static str>);

/// One time of a long table: the time and its (q, value, line) points.
type TimeGroup = (f64, Vec<(f64, f64, usize)>);

/// Times from the header cells: one unit kept when all cells share it, else seconds.
fn header_times(
    parsed: &[(f64, Option<TimeUnit>)],
    line: usize,
    warnings: &mut Warnings,
) -> (Vec<f64>, Option<&'static str>) {
    let first = parsed.first().and_then(|p| p.1);
    if parsed.iter().all(|p| p.1 == first) {
        return (
            parsed.iter().map(|p| p.0).collect(),
            first.map(TimeUnit::symbol),
        );
    }
    if let Some(c) = parsed.iter().position(|p| p.1.is_none()) {
        warnings.push(
            Some(line),
            Some(c + 2),
            "some time headers have a unit and this one has none: read as seconds".to_string(),
        );
    }
    let seconds = parsed
        .iter()
        .map(|p| p.0 * p.1.map_or(1.0, TimeUnit::seconds))
        .collect();
    (seconds, Some(TimeUnit::Second.symbol()))
}

fn wide(
    table: &Table,
    width: usize,
    axis: &Axis,
    warnings: &mut Warnings,
) -> Result<Assembled, ReadError> {
    let n_frames = width - 1;
    let mut times: Vec<f64> = (0..n_frames).map(|i| i as f64).collect();
    let mut time_unit = None;
    match &table.header {
        Some(h) if h.cells.len() == width => {
            let parsed: Vec<Option<(f64, Option<TimeUnit>)>> = h.cells[1..]
                .iter()
                .map(|c| time_in(c, table.decimal_comma))
                .collect();
            if parsed.iter().all(Option::is_some) {
                let parsed: Vec<(f64, Option<TimeUnit>)> = parsed.into_iter().flatten().collect();
                (times, time_unit) = header_times(&parsed, h.line, warnings);
            } else {
                let col = parsed.iter().position(Option::is_none).map_or(0, |c| c + 2);
                warnings.push(
                    Some(h.line),
                    Some(col),
                    format!(
                        "header cell '{}' has no time in it: frames numbered 0, 1, 2, …",
                        h.cells.get(col - 1).map_or("", String::as_str)
                    ),
                );
            }
        }
        Some(h) => warnings.push(
            Some(h.line),
            None,
            format!(
                "header has {} cells for {width} columns: frames numbered 0, 1, 2, …",
                h.cells.len()
            ),
        ),
        None => warnings.push(
            None,
            None,
            "no header with times: frames numbered 0, 1, 2, …".to_string(),
        ),
    }
    let mut rows: Vec<(usize, f64, Vec<f64>)> = Vec::with_capacity(table.rows.len());
    'rows: for row in &table.rows {
        if row.cells.len() != width {
            warnings.push(
                Some(row.line),
                None,
                format!(
                    "{} columns where {width} were expected: row skipped",
                    row.cells.len()
                ),
            );
            continue;
        }
        let mut values = Vec::with_capacity(width);
        for (c, cell) in row.cells.iter().enumerate() {
            match table.number(cell) {
                Some(v) if v.is_finite() => values.push(v),
                Some(v) => {
                    warnings.push(
                        Some(row.line),
                        Some(c + 1),
                        format!("{v} is not a finite number: row skipped"),
                    );
                    continue 'rows;
                }
                None => {
                    warnings.push(
                        Some(row.line),
                        Some(c + 1),
                        format!("'{cell}' is not a number: row skipped"),
                    );
                    continue 'rows;
                }
            }
        }
        let q = axis.to_q(values[0]);
        if !(q > 0.0 && q.is_finite()) {
            warnings.push(
                Some(row.line),
                Some(1),
                format!("{} gives no positive q: row skipped", values[0]),
            );
            continue;
        }
        values.remove(0);
        rows.push((row.line, q, values));
    }
    if rows.windows(2).any(|w| w[1].1 < w[0].1) {
        warnings.push(
            None,
            Some(1),
            "rows are not sorted by q; sorted".to_string(),
        );
        rows.sort_by(|a, b| a.1.total_cmp(&b.1));
    }
    let mut kept: Vec<(usize, f64, Vec<f64>)> = Vec::with_capacity(rows.len());
    for r in rows {
        if kept.last().is_some_and(|l| l.1 == r.1) {
            warnings.push(
                Some(r.0),
                Some(1),
                format!("q = {} repeats: row dropped (first kept)", r.1),
            );
        } else {
            kept.push(r);
        }
    }
    if kept.len() < 3 {
        return Err(ReadError::NoData {
            detail: format!(
                "{} valid row(s) (need 3); {}",
                kept.len(),
                warnings.first(3)
            ),
        });
    }
    let q: Vec<f64> = kept.iter().map(|r| r.1).collect();
    let mut frames: Vec<(f64, Vec<f64>)> = (0..n_frames)
        .map(|t| (times[t], kept.iter().map(|r| r.2[t]).collect()))
        .collect();
    if frames.windows(2).any(|w| w[1].0 < w[0].0) {
        warnings.push(
            None,
            None,
            "time columns are not in time order; sorted".to_string(),
        );
        frames.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    Ok((
        q,
        frames.iter().map(|f| f.0).collect(),
        frames.into_iter().map(|f| f.1).collect(),
        time_unit,
    ))
}

fn long(table: &Table, axis: &Axis, warnings: &mut Warnings) -> Result<Assembled, ReadError> {
    // (time, q, value, line), then grouped by time.
    let mut points: Vec<(f64, f64, f64, usize)> = Vec::with_capacity(table.rows.len());
    'rows: for row in &table.rows {
        if row.cells.len() < 3 {
            warnings.push(
                Some(row.line),
                None,
                format!(
                    "{} columns where 3 (time, q, intensity) were expected: row skipped",
                    row.cells.len()
                ),
            );
            continue;
        }
        let mut v = [0.0; 3];
        for (c, slot) in v.iter_mut().enumerate() {
            match table.number(&row.cells[c]) {
                Some(x) if x.is_finite() => *slot = x,
                _ => {
                    warnings.push(
                        Some(row.line),
                        Some(c + 1),
                        format!("'{}' is not a finite number: row skipped", row.cells[c]),
                    );
                    continue 'rows;
                }
            }
        }
        let q = axis.to_q(v[1]);
        if !(q > 0.0 && q.is_finite()) {
            warnings.push(
                Some(row.line),
                Some(2),
                format!("{} gives no positive q: row skipped", v[1]),
            );
            continue;
        }
        // `+ 0.0` turns a time of -0 into 0: sorted apart by `total_cmp` but equal when
        // grouped, they would put a q out of order in the group (found by fuzzing).
        points.push((v[0] + 0.0, q, v[2], row.line));
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut groups: Vec<TimeGroup> = Vec::new();
    for (t, q, s, line) in points {
        match groups.last_mut() {
            Some((gt, g)) if *gt == t => {
                if g.last().is_some_and(|p| p.0 == q) {
                    warnings.push(
                        Some(line),
                        Some(2),
                        format!("q = {q} repeats at time {t}: row dropped"),
                    );
                } else {
                    g.push((q, s, line));
                }
            }
            _ => groups.push((t, vec![(q, s, line)])),
        }
    }
    // The grid of the first time; other times must have the same q values.
    let Some(grid) = groups
        .first()
        .map(|g| g.1.iter().map(|p| p.0).collect::<Vec<f64>>())
    else {
        return Err(ReadError::NoData {
            detail: format!("no valid rows; {}", warnings.first(3)),
        });
    };
    if grid.len() < 3 {
        return Err(ReadError::Series(format!(
            "the first time has {} q point(s); need 3",
            grid.len()
        )));
    }
    let same = |g: &[(f64, f64, usize)]| {
        g.len() == grid.len()
            && g.iter()
                .zip(&grid)
                .all(|(p, &q)| (p.0 - q).abs() <= 1e-9 * q.abs())
    };
    let mut times = Vec::new();
    let mut frames = Vec::new();
    for (t, g) in &groups {
        if same(g) {
            times.push(*t);
            frames.push(g.iter().map(|p| p.1).collect());
        } else {
            warnings.push(
                g.first().map(|p| p.2),
                None,
                format!(
                    "time {t} has {} q points not matching the first time's {} q points: frame skipped",
                    g.len(),
                    grid.len()
                ),
            );
        }
    }
    let time_unit = table
        .header
        .as_ref()
        .and_then(|h| h.cells.first())
        .and_then(|c| {
            time_in(
                &format!("0 {}", c.rsplit(['(', '[']).next().unwrap_or("")),
                false,
            )
        })
        .and_then(|t| t.1)
        .map(TimeUnit::symbol);
    Ok((grid, times, frames, time_unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_with_times_in_header() {
        let text = "q,t=0h,t=0.5h,t=1h\n0.3,1,1.1,1.2\n0.4,2,2.2,2.4\n0.5,4,4.4,4.8\n";
        let s = read_series(text.as_bytes(), &ReadOptions::default(), SeriesLayout::Auto)
            .expect("readable");
        assert_eq!(s.times, vec![0.0, 0.5, 1.0]);
        assert_eq!(s.frames[2], vec![1.2, 2.4, 4.8]);
        let n = s.normalized_by_first().expect("positive");
        assert!((n.frames[1][1] - 1.1).abs() < 1e-12);
        assert!((n.frames[0][2] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn long_form_grouped_by_time() {
        let text = "time\tq\tS\n0\t0.3\t1\n0\t0.4\t1\n0\t0.5\t1\n10\t0.3\t2\n10\t0.4\t3\n10\t0.5\t4\n20\t0.3\t5\n20\t0.4\t6\n";
        let s = read_series(text.as_bytes(), &ReadOptions::default(), SeriesLayout::Auto)
            .expect("readable");
        assert_eq!(s.times, vec![0.0, 10.0]);
        assert_eq!(s.frames[1], vec![2.0, 3.0, 4.0]);
        assert!(s.warnings.iter().any(|w| w.message.contains("time 20")));
    }

    #[test]
    fn normalisation_drops_nonpositive_reference_points() {
        let text = "q 0 1\n0.1 0 5\n0.2 2 4\n0.3 2 6\n0.4 4 4\n";
        let s = read_series(text.as_bytes(), &ReadOptions::default(), SeriesLayout::Wide)
            .expect("readable");
        let n = s.normalized_by_first().expect("enough points");
        assert_eq!(n.q, vec![0.2, 0.3, 0.4]);
        assert_eq!(n.frames[1], vec![2.0, 3.0, 1.0]);
        assert!(n.warnings.iter().any(|w| w.message.contains("dropped")));
    }
}
