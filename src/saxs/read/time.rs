//! Times in the header cells of a wide series: `t=3.5h`, `scan2_t28s`, `500 ms`, `12.5min`,
//! `frame_12`, `30`. The time is the number followed by a time unit; else the number after a
//! `t` or `time`; else the cell's only (or last) number. Units kept: ms, s, min, h.

use super::table::parse_number;

/// A unit of time in a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeUnit {
    /// Milliseconds.
    Millisecond,
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
}

impl TimeUnit {
    /// The unit as written in results.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            TimeUnit::Millisecond => "ms",
            TimeUnit::Second => "s",
            TimeUnit::Minute => "min",
            TimeUnit::Hour => "h",
        }
    }

    /// Seconds per unit.
    pub(crate) fn seconds(self) -> f64 {
        match self {
            TimeUnit::Millisecond => 1e-3,
            TimeUnit::Second => 1.0,
            TimeUnit::Minute => 60.0,
            TimeUnit::Hour => 3600.0,
        }
    }

    fn from_word(word: &str) -> Option<TimeUnit> {
        match word.to_ascii_lowercase().as_str() {
            "ms" | "msec" | "msecs" | "millisecond" | "milliseconds" => Some(TimeUnit::Millisecond),
            "s" | "sec" | "secs" | "second" | "seconds" => Some(TimeUnit::Second),
            "min" | "mins" | "minute" | "minutes" => Some(TimeUnit::Minute),
            "h" | "hr" | "hrs" | "hour" | "hours" => Some(TimeUnit::Hour),
            _ => None,
        }
    }
}

/// A number found in a cell: value, unit after it, whether a `t`/`time` marks it.
struct Found {
    value: f64,
    unit: Option<TimeUnit>,
    marked: bool,
}

fn numbers(cell: &str) -> Vec<Found> {
    let chars: Vec<char> = cell.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let digit_start = chars[i].is_ascii_digit()
            || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        if !digit_start {
            i += 1;
            continue;
        }
        let negative = i > 0 && chars[i - 1] == '-' && (i < 2 || !chars[i - 2].is_alphanumeric());
        let mut end = i;
        while end < chars.len()
            && (chars[end].is_ascii_digit()
                || chars[end] == '.'
                || ((chars[end] == 'e' || chars[end] == 'E')
                    && chars
                        .get(end + 1)
                        .is_some_and(|c| c.is_ascii_digit() || *c == '-')))
        {
            end += 1;
            if matches!(chars[end - 1], 'e' | 'E') && chars.get(end) == Some(&'-') {
                end += 1;
            }
        }
        let text: String = chars[i..end].iter().collect();
        let Ok(mut value) = text.parse::<f64>() else {
            i = end.max(i + 1);
            continue;
        };
        if negative {
            value = -value;
        }
        let mut u = end;
        while u < chars.len() && chars[u] == ' ' {
            u += 1;
        }
        let word_end = (u..chars.len())
            .find(|&k| !chars[k].is_ascii_alphabetic())
            .unwrap_or(chars.len());
        let word: String = chars[u..word_end].iter().collect();
        let start = if negative { i - 1 } else { i };
        let before: String = chars[..start]
            .iter()
            .collect::<String>()
            .to_ascii_lowercase();
        let before = before.trim_end_matches(['=', ' ', ':']);
        let marked = before.ends_with('t') || before.ends_with("time");
        out.push(Found {
            value,
            unit: TimeUnit::from_word(&word),
            marked,
        });
        i = end.max(i + 1);
    }
    out
}

/// The time in a header cell, with its unit when one is written.
pub(crate) fn time_in(cell: &str, decimal_comma: bool) -> Option<(f64, Option<TimeUnit>)> {
    if let Some(v) = parse_number(cell, decimal_comma) {
        return Some((v, None));
    }
    let found = numbers(cell);
    let pick = found
        .iter()
        .rev()
        .find(|f| f.unit.is_some())
        .or_else(|| found.iter().rev().find(|f| f.marked))
        .or_else(|| found.last())?;
    Some((pick.value, pick.unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_units_from_headers() {
        let t = |c: &str| time_in(c, false);
        assert_eq!(t("scan2_t28s"), Some((28.0, Some(TimeUnit::Second))));
        assert_eq!(t("t=3.5h"), Some((3.5, Some(TimeUnit::Hour))));
        assert_eq!(t("500ms"), Some((500.0, Some(TimeUnit::Millisecond))));
        assert_eq!(t("12.5 min"), Some((12.5, Some(TimeUnit::Minute))));
        assert_eq!(t("run3_t12"), Some((12.0, None)));
        assert_eq!(t("frame_12"), Some((12.0, None)));
        assert_eq!(t("t=-5s"), Some((-5.0, Some(TimeUnit::Second))));
        assert_eq!(t("30"), Some((30.0, None)));
        assert_eq!(t("1e3ms"), Some((1000.0, Some(TimeUnit::Millisecond))));
        assert_eq!(t("sample"), None);
    }
}
