//! A plugin's identity and its parameter list in the protocol's terms, as
//! the engine ABI reports them to a host.

use wavecraft_dsp::param::ParamSpec;
use wavecraft_engine_abi::EngineMetadata;
use wavecraft_protocol::ParameterInfo;

/// Who a plugin is, from the author's Cargo.toml (filled in by `export!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginInfo {
    /// Plugin name.
    pub name: &'static str,
    /// Plugin vendor.
    pub vendor: &'static str,
    /// Stable unique plugin id.
    pub id: &'static str,
    /// The author's crate version.
    pub version: &'static str,
    /// The VST3 class id, derived from `id` (`wavecraft_identity::vst3_class_id`: the 16
    /// bytes as the SDK holds them off Windows).
    pub vst3_class_id: [u8; 16],
    /// The plugin window's size (`[package.metadata.wavecraft] ui = { … }`).
    pub window: WindowSize,
}

/// The plugin window's size and resizing, in logical pixels (the host's scale multiplies them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowSize {
    /// Width the window opens with.
    pub width: u32,
    /// Height the window opens with.
    pub height: u32,
    /// Whether the host may resize it.
    pub resizable: bool,
    /// Smallest width a resize may reach.
    pub min_width: u32,
    /// Smallest height a resize may reach.
    pub min_height: u32,
}

/// One parameter spec as the protocol describes it, with `value` at its default.
pub fn parameter_info(spec: &ParamSpec) -> ParameterInfo {
    let rules = spec.rules();
    ParameterInfo {
        id: spec.id.to_owned(),
        name: spec.name.to_owned(),
        kind: rules.kind,
        min: rules.min,
        max: rules.max,
        default: spec.default,
        value: spec.default,
        revision: 0,
        unit: rules.unit.to_owned(),
        group: spec.group.to_owned(),
        step: rules.step,
        skew: rules.skew,
        variants: rules.variants.iter().map(|v| (*v).to_owned()).collect(),
    }
}

/// The full metadata of a plugin whose parameters are `specs` (in index order).
pub fn engine_metadata(info: &PluginInfo, specs: &[ParamSpec]) -> EngineMetadata {
    EngineMetadata {
        name: info.name.to_owned(),
        vendor: info.vendor.to_owned(),
        version: info.version.to_owned(),
        plugin_id: info.id.to_owned(),
        sdk_version: env!("CARGO_PKG_VERSION").to_owned(),
        parameters: specs.iter().map(parameter_info).collect(),
    }
}
