//! The Simulate tab.

use yew::prelude::*;

/// The Simulate tab: not built yet; it says plainly what is coming.
#[function_component(SimulateTab)]
pub fn simulate_tab() -> Html {
    html! {
        <section class="coming" id="panel-simulate">
            <h2>{ "Simulate" }</h2>
            <p>{ "Coming next: self-assembly of a binary Mie mixture (large and small nanocrystals, narrow or wide attractive well), slowly compressed in a periodic box or a spherical droplet, run in a Web Worker on WebGPU or the CPU, watched in 3D with the crystalline fraction as it grows." }</p>
        </section>
    }
}
