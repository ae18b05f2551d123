//! The indicators screen's state.

/// The indicators screen: which indicator is selected (an index into `Gauges::rows`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndicatorsState {
    pub selected: usize,
}
