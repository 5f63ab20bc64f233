//! The URL fragment that carries a payload: `#/<route>?r=<payload>`, e.g.
//! `#/simulate?r=AbC…`. Base64url characters need no percent-encoding in a fragment.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{decode, encode, LinkError, MAX_PAYLOAD_CHARS};

/// A parsed share fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareFragment {
    /// The page route, e.g. `"simulate"` or `"saxs"`.
    pub route: String,
    /// The `r=` payload, if the fragment has one.
    pub payload: Option<String>,
}

fn valid_route(route: &str) -> bool {
    !route.is_empty()
        && route.len() <= 64
        && route
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/')
}

/// Builds `#/<route>?r=<payload>`.
///
/// # Errors
/// [`LinkError::BadFragment`] for a route outside `[a-z0-9/-]` (at most 64 characters).
pub fn build_fragment(route: &str, payload: &str) -> Result<String, LinkError> {
    if !valid_route(route) {
        return Err(LinkError::BadFragment(format!(
            "route {route:?} must be 1–64 characters of a-z, 0-9, '-' and '/'"
        )));
    }
    Ok(format!("#/{route}?r={payload}"))
}

/// Parses a fragment (`#/route?r=…`, with or without `#`) or a whole URL (the part after `#`).
///
/// # Errors
/// [`LinkError::TooLong`] for input beyond twice [`MAX_PAYLOAD_CHARS`];
/// [`LinkError::BadFragment`] when it has no `/route`, or the route has other characters.
pub fn parse_fragment(url_or_fragment: &str) -> Result<ShareFragment, LinkError> {
    let s = url_or_fragment.trim();
    if s.len() > 2 * MAX_PAYLOAD_CHARS {
        return Err(LinkError::TooLong {
            len: s.len(),
            limit: 2 * MAX_PAYLOAD_CHARS,
        });
    }
    let frag = match s.split_once('#') {
        Some((_, f)) => f,
        None => s,
    };
    let frag = frag
        .strip_prefix('/')
        .ok_or_else(|| LinkError::BadFragment("the part after '#' must start with '/'".into()))?;
    let (route, query) = frag.split_once('?').unwrap_or((frag, ""));
    let route = route.trim_end_matches('/');
    if !valid_route(route) {
        return Err(LinkError::BadFragment(
            "the route must be 1–64 characters of a-z, 0-9, '-' and '/'".into(),
        ));
    }
    let payload = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("r="))
        .map(str::to_string);
    Ok(ShareFragment {
        route: route.to_string(),
        payload,
    })
}

/// Encodes `value` and builds its fragment for `route`: `#/<route>?r=<payload>`.
///
/// # Errors
/// The errors of [`encode`] and [`build_fragment`].
pub fn share_link<T: Serialize + ?Sized>(route: &str, value: &T) -> Result<String, LinkError> {
    build_fragment(route, &encode(value)?)
}

/// Parses a link (whole URL or fragment) and decodes its payload: `(route, value)`.
///
/// # Errors
/// The errors of [`parse_fragment`] and [`decode`]; [`LinkError::Empty`] when it has no `r=`.
pub fn decode_link<T: DeserializeOwned>(url_or_fragment: &str) -> Result<(String, T), LinkError> {
    let f = parse_fragment(url_or_fragment)?;
    let payload = f.payload.ok_or(LinkError::Empty)?;
    Ok((f.route, decode(&payload)?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fragments_parse_with_and_without_url() {
        let f = parse_fragment("https://x.org/bnsl/#/simulate?r=AAA&z=1").unwrap();
        assert_eq!(f.route, "simulate");
        assert_eq!(f.payload.as_deref(), Some("AAA"));
        let g = parse_fragment("#/saxs").unwrap();
        assert_eq!(g.payload, None);
        assert!(parse_fragment("#simulate?r=A").is_err());
        assert!(parse_fragment("#/<script>?r=A").is_err());
        assert!(build_fragment("Simulate", "A").is_err());
        assert_eq!(
            build_fragment("simulate", "Ab-_").unwrap(),
            "#/simulate?r=Ab-_"
        );
    }
}
