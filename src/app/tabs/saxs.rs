//! The SAXS fit tab.

use yew::prelude::*;

/// The SAXS fit tab: not built yet; it says plainly what is coming.
#[function_component(SaxsTab)]
pub fn saxs_tab() -> Html {
    html! {
        <section class="coming" id="panel-saxs">
            <h2>{ "SAXS fit" }</h2>
            <p>{ "Coming next: upload S(q) as CSV (single patterns and in situ series) and get fitted AlB2 and NaZn13 patterns, lattice parameters, gaps between cores, Scherrer crystal sizes, volume and phase fractions, with uncertainties." }</p>
        </section>
    }
}
