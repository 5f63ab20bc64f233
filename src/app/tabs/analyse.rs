//! The Analyse tab.

use yew::prelude::*;

/// The Analyse tab: not built yet; it says plainly what is coming.
#[function_component(AnalyseTab)]
pub fn analyse_tab() -> Html {
    html! {
        <section class="coming" id="panel-analyse">
            <h2>{ "Analyse" }</h2>
            <p>{ "Coming next: drop a GSD trajectory (ours or HOOMD-blue's) to get Steinhardt order parameters, AlB2-, NaZn13- and fcc-like crystalline fractions per frame, local density, g(r), S(q) and diffusion." }</p>
        </section>
    }
}
