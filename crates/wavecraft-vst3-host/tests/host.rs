//! The host against a plugin whose every answer is known (`fixture`): module
//! entry and exit, factory and class info, create and initialize, sample-
//! accurate parameter points in and out, state through the memory stream,
//! value↔text, the component handler, and the refusals a host must report.

mod fixture;

use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard, PoisonError};

use fixture::{CID, ENTRIES, EXITS, GAIN};
use wavecraft_vst3_host::{
    Error, HostEvent, LinkedModule, Module, ParameterChanges, SampleSize, Setup, Speakers,
    Vst3Result,
};

/// Held by each test for its whole run: the module entry and exit counters are global,
/// so tests that make and drop modules must not overlap the one that counts them.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

fn module() -> Module {
    Module::linked(LinkedModule {
        get_factory: fixture::get_plugin_factory,
        entry: Some(fixture::module_entry),
        exit: Some(fixture::module_exit),
    })
    .unwrap()
}

#[test]
fn module_entry_and_exit_bracket_everything_made_from_the_module() {
    let _serial = serial();
    let entries = ENTRIES.load(Ordering::SeqCst);
    let module = module();
    assert_eq!(ENTRIES.load(Ordering::SeqCst), entries + 1);
    let factory = module.factory().unwrap();
    let mut plugin = factory.create(&CID).unwrap();
    plugin.initialize().unwrap();
    let exits = EXITS.load(Ordering::SeqCst);
    drop(module);
    drop(factory);
    assert_eq!(
        EXITS.load(Ordering::SeqCst),
        exits,
        "the plugin still lives"
    );
    drop(plugin);
    assert!(
        EXITS.load(Ordering::SeqCst) > exits,
        "ModuleExit after the last object"
    );
}

#[test]
fn reads_the_factory_and_class_info() {
    let _serial = serial();
    let factory = module().factory().unwrap();
    let info = factory.info().unwrap();
    assert_eq!(info.vendor, "Fixture Audio");
    assert_eq!(info.url, "https://example.com");
    assert_eq!(info.email, "fx@example.com");
    assert_eq!(factory.class_count(), 1);
    let class = factory.class_info(0).unwrap();
    assert_eq!(class.cid, CID);
    assert_eq!(class.name, "Fixture Gain");
    assert_eq!(class.category, "Audio Module Class");
    assert_eq!(class.sub_categories, "Fx|Tools");
    assert_eq!(class.version, "1.2.3");
    assert_eq!(class.sdk_version, "VST 3.8.0");
    assert!(matches!(
        factory.class_info(1),
        Err(Error::Call {
            result: Vst3Result::InvalidArgument,
            ..
        })
    ));
    assert!(factory.create(b"not-a-class-id!!").is_err());
}

#[test]
fn points_apply_from_their_sample_and_the_plugins_own_changes_come_back() {
    let _serial = serial();
    let module = module();
    let mut plugin = module.factory().unwrap().create(&CID).unwrap();
    plugin.initialize().unwrap();
    let mut processing = plugin.start(Setup::realtime(48_000.0, 64)).unwrap();
    let input = [1.0f32; 32];
    let mut left = [0.0f32; 32];
    let mut right = [0.0f32; 32];
    let changes = ParameterChanges::with_capacity(4, 4);
    changes.add(GAIN, 20, 0.25).unwrap();
    changes.add(GAIN, 10, 1.0).unwrap();
    processing
        .process(&[&input, &input], &mut [&mut left, &mut right], &changes)
        .unwrap();
    assert!(left[..10].iter().all(|&s| s == 1.0), "{left:?}");
    assert!(left[10..20].iter().all(|&s| s == 2.0), "{left:?}");
    assert!(left[20..].iter().all(|&s| s == 0.5), "{left:?}");
    assert_eq!(left, right);
    assert_eq!(processing.output_changes().points(), [(GAIN, 0, 0.25)]);
    assert!(matches!(
        processing.process(&[&input[..4]], &mut [&mut left[..5]], &changes),
        Err(Error::Buffers(_))
    ));
    let long = [0.0f32; 65];
    let mut out = [0.0f32; 65];
    assert!(matches!(
        processing.process(&[&long], &mut [&mut out], &changes),
        Err(Error::Buffers(_))
    ));
    processing.stop().unwrap();
}

#[test]
fn state_goes_through_the_stream_and_refusals_are_reported() {
    let _serial = serial();
    let module = module();
    let factory = module.factory().unwrap();
    let mut first = factory.create(&CID).unwrap();
    first.initialize().unwrap();
    {
        let mut processing = first.start(Setup::realtime(44_100.0, 8)).unwrap();
        let changes = ParameterChanges::with_capacity(1, 1);
        changes.add(GAIN, 0, 0.75).unwrap();
        let mut out = [0.0f32; 8];
        processing
            .process(&[&[0.0; 8]], &mut [&mut out], &changes)
            .unwrap();
    }
    let state = first.state().unwrap();
    assert_eq!(&state[..4], b"GAIN");
    let mut second = factory.create(&CID).unwrap();
    second.initialize().unwrap();
    second.load_state(&state).unwrap();
    assert_eq!(second.normalized(GAIN), 0.75, "setComponentState followed");
    assert_eq!(second.state().unwrap(), state);
    assert!(matches!(
        second.load_state(b"GAIN"),
        Err(Error::Call {
            call: "IComponent::setState",
            result: Vst3Result::False
        })
    ));
    let mut long = state.clone();
    long.push(0);
    assert!(
        second.load_state(&long).is_err(),
        "trailing bytes are read too"
    );
}

#[test]
fn parameters_text_and_edits() {
    let _serial = serial();
    let module = module();
    let mut plugin = module.factory().unwrap().create(&CID).unwrap();
    plugin.initialize().unwrap();
    let params = plugin.parameters().unwrap();
    assert_eq!(params.len(), 1);
    let gain = &params[0];
    assert_eq!(
        (
            gain.id,
            gain.title.as_str(),
            gain.short_title.as_str(),
            gain.units.as_str()
        ),
        (GAIN, "Gain", "Gn", "x")
    );
    assert_eq!(gain.default_normalized, 0.5);
    assert_eq!(plugin.text(GAIN, 0.25).unwrap(), "0.500");
    assert_eq!(plugin.value_of_text(GAIN, " 1.5 ").unwrap(), 0.75);
    assert!(plugin.value_of_text(GAIN, "loud").is_err());
    assert_eq!(plugin.to_plain(GAIN, 0.25), 0.5);
    assert_eq!(plugin.to_normalized(GAIN, 0.5), 0.25);
    plugin.set_normalized(GAIN, 0.125).unwrap();
    assert_eq!(plugin.normalized(GAIN), 0.125);
    assert_eq!(
        plugin.host_events(),
        [
            HostEvent::BeginEdit(GAIN),
            HostEvent::PerformEdit(GAIN, 0.125),
            HostEvent::EndEdit(GAIN)
        ]
    );
    assert!(plugin.host_events().is_empty(), "taken");
}

#[test]
fn sample_sizes_and_arrangements_the_plugin_refuses() {
    let _serial = serial();
    let module = module();
    let mut plugin = module.factory().unwrap().create(&CID).unwrap();
    plugin.initialize().unwrap();
    assert_eq!(plugin.can_process(SampleSize::F32), Ok(()));
    assert_eq!(plugin.can_process(SampleSize::F64), Err(Vst3Result::False));
    let double = Setup {
        sample_size: SampleSize::F64,
        ..Setup::realtime(48_000.0, 64)
    };
    assert!(plugin.setup_processing(&double).is_err());
    assert!(plugin
        .set_bus_arrangements(&[Speakers::SURROUND_5_1], &[Speakers::SURROUND_5_1])
        .is_err());
    assert!(plugin
        .set_bus_arrangements(&[Speakers::MONO], &[Speakers::STEREO])
        .is_err());
    assert_eq!(plugin.bus_arrangement(true, 0).unwrap(), Speakers::STEREO);
    plugin
        .set_bus_arrangements(&[Speakers::STEREO], &[Speakers::STEREO])
        .unwrap();
}
