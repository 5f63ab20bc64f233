//! The Phase diagram tab.

use yew::prelude::*;

/// The Phase diagram tab: not built yet; it says plainly what is coming.
#[function_component(PhaseTab)]
pub fn phase_tab() -> Html {
    html! {
        <section class="coming" id="panel-phase">
            <h2>{ "Phase diagram" }</h2>
            <p>{ "Coming later: free energies by Frenkel-Ladd / Einstein-molecule integration, gas-AlB2 and vapour-liquid coexistence lines and critical well depths, for the narrow and the wide well." }</p>
        </section>
    }
}
