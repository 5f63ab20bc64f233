//! Which tab is open, and its address: each tab has its own hash (`#/simulate`, `#/analyse`,
//! `#/phase`, `#/saxs`) so that a link opens the right tab.

/// The four tabs of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// Run a self-assembly simulation and watch it.
    Simulate,
    /// Analyse a trajectory: order parameters, crystalline fractions, structure.
    Analyse,
    /// Free energies, coexistence and critical points.
    PhaseDiagram,
    /// Fit measured small-angle X-ray scattering.
    SaxsFit,
}

impl Tab {
    /// Every tab, in the order the page shows them.
    pub const ALL: [Tab; 4] = [Tab::Simulate, Tab::Analyse, Tab::PhaseDiagram, Tab::SaxsFit];

    /// The tab's name on the page.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Tab::Simulate => "Simulate",
            Tab::Analyse => "Analyse",
            Tab::PhaseDiagram => "Phase diagram",
            Tab::SaxsFit => "SAXS fit",
        }
    }

    /// The path segment of the tab's address, after `#/`.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Simulate => "simulate",
            Tab::Analyse => "analyse",
            Tab::PhaseDiagram => "phase",
            Tab::SaxsFit => "saxs",
        }
    }

    /// The tab a location hash names (`#/saxs`, `#/saxs?x=1`, `#saxs`), or Simulate for an
    /// empty or unknown hash.
    #[must_use]
    pub fn from_hash(hash: &str) -> Tab {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let slug = path.split(['?', '/']).next().unwrap_or_default();
        Tab::ALL
            .into_iter()
            .find(|t| t.slug() == slug)
            .unwrap_or(Tab::Simulate)
    }

    /// The hash that opens this tab.
    #[must_use]
    pub fn hash(self) -> String {
        format!("#/{}", self.slug())
    }
}
