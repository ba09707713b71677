//! Driving a bundled `.vst3` through `wavecraft-vst3-host` as a DAW does: a
//! fresh initialised instance of the example, a parameter found by its title,
//! and a block-by-block render with sample-accurate parameter changes. Shared
//! by `bundle_vst3` and the dev/CLAP/VST3 comparison in `bundle_clap`.

use wavecraft_vst3_host::{Module, ParameterChanges, ParameterInfo, Plugin, Setup};

/// A parameter change at an absolute frame of a render.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    /// Frame from the start of the render.
    pub frame: usize,
    /// The parameter's VST3 id.
    pub id: u32,
    /// The new normalised value.
    pub value: f64,
}

/// A fresh, initialised instance of the example (its class id by the identity rule).
pub fn instantiate(module: &Module) -> Plugin {
    let cid = wavecraft_identity::vst3_class_id("dev.wavecraft.example");
    let mut plugin = module
        .factory()
        .expect("factory")
        .create(&cid)
        .expect("create the example's component");
    plugin.initialize().expect("initialize");
    plugin
}

/// The info of the parameter titled `title`.
pub fn param(plugin: &Plugin, title: &str) -> ParameterInfo {
    plugin
        .parameters()
        .expect("parameter info")
        .into_iter()
        .find(|p| p.title == title)
        .unwrap_or_else(|| panic!("no parameter titled {title}"))
}

/// Sets up at `rate` with blocks of at most `block`, activates, renders `input` (out of
/// place) with `changes` as parameter-change points, stops and returns the output.
pub fn render_vst3(
    plugin: &mut Plugin,
    rate: u32,
    block: usize,
    input: &[Vec<f32>],
    changes: &[Change],
) -> Vec<Vec<f32>> {
    let mut processing = plugin
        .start(Setup::realtime(f64::from(rate), block))
        .expect("set up and activate");
    let points = ParameterChanges::with_capacity(64, 64);
    let frames = input[0].len();
    let mut output = vec![vec![0.0f32; frames]; input.len()];
    let mut out_buffers = vec![vec![0.0f32; block]; input.len()];
    let mut start = 0;
    while start < frames {
        let len = block.min(frames - start);
        points.clear();
        for change in changes
            .iter()
            .filter(|c| (start..start + len).contains(&c.frame))
        {
            let offset = (change.frame - start) as i32;
            points.add(change.id, offset, change.value).expect("room");
        }
        let ins: Vec<&[f32]> = input.iter().map(|c| &c[start..start + len]).collect();
        let mut outs: Vec<&mut [f32]> = out_buffers.iter_mut().map(|b| &mut b[..len]).collect();
        processing
            .process(&ins, &mut outs, &points)
            .expect("process");
        for (target, buffer) in output.iter_mut().zip(&out_buffers) {
            target[start..start + len].copy_from_slice(&buffer[..len]);
        }
        start += len;
    }
    processing.stop().expect("stop processing and deactivate");
    output
}
