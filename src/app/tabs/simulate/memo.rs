//! The Simulate tab's heavy children behind cheap property checks: the tab re-renders a few
//! times a second during a run (progress), and without these wrappers each render would
//! compare the 27,000-particle frame and every chart point by value. Each wrapper's
//! properties are equal when their serial number is, so Yew skips them until the tab has a
//! new frame, colouring or chart.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::kit::PlotView;
use crate::app::view3d::ParticleView;
use crate::model::Frame;
use crate::plot::Chart;
use crate::view::Colouring;

/// Properties of [`SimParticles`].
#[derive(Properties, Clone)]
pub struct ParticlesProps {
    /// Changes whenever `frame` or `colouring` does.
    pub serial: u64,
    /// The configuration.
    pub frame: Rc<Frame>,
    /// Its colouring.
    pub colouring: Rc<Colouring>,
}

impl PartialEq for ParticlesProps {
    fn eq(&self, other: &Self) -> bool {
        self.serial == other.serial
    }
}

/// The 3D view of the shown frame.
#[function_component(SimParticles)]
pub fn sim_particles(props: &ParticlesProps) -> Html {
    html! {
        <ParticleView frame={props.frame.clone()} colouring={props.colouring.clone()}
            height={420} png_name="bnsl-simulate.png" />
    }
}

/// One chart of the tab with its version and the number of log rows it shows.
pub struct PlotSlot {
    /// Download stem.
    pub stem: &'static str,
    /// Changes whenever `chart` does.
    pub version: u64,
    /// The chart.
    pub chart: Rc<Chart>,
    /// Log rows it shows.
    pub rows: usize,
}

/// Properties of [`SimPlot`].
#[derive(Properties, Clone)]
pub struct PlotProps {
    /// Changes whenever `chart` does.
    pub version: u64,
    /// Download stem.
    pub stem: &'static str,
    /// The chart.
    pub chart: Rc<Chart>,
}

impl PartialEq for PlotProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

/// One live plot.
#[function_component(SimPlot)]
pub fn sim_plot(props: &PlotProps) -> Html {
    html! {
        <PlotView chart={props.chart.clone()} width={480} height={260} file_stem={props.stem} />
    }
}
