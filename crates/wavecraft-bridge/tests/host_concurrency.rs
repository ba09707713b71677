//! Writers and readers hammer an `InMemoryParameterHost` while another
//! thread replaces its parameter list in a loop. For ids that stay in every
//! list: no panic, no torn value (every value read is one some writer
//! wrote), and no lost write (each writer's last value is what remains).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use wavecraft_bridge::{InMemoryParameterHost, ParameterHost};
use wavecraft_protocol::{ParameterInfo, ParameterKind};

fn float(id: &str) -> ParameterInfo {
    ParameterInfo::new(id, id, ParameterKind::Float, 0.0, 1_000_000.0)
}

/// Values a writer for `slot` may write: slot * 100_000 + k, so a torn or mixed value is detectable.
fn written(slot: usize, k: u32) -> f64 {
    (slot * 100_000) as f64 + f64::from(k)
}

#[test]
fn concurrent_sets_reads_and_replaces_keep_every_value() {
    const KEPT: [&str; 3] = ["a", "b", "c"];
    const WRITES: u32 = 20_000;
    let host =
        Arc::new(InMemoryParameterHost::new(KEPT.iter().map(|id| float(id)).collect()).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let handle_a = host.value_handle("a").unwrap();

    let replacer = {
        let (host, stop) = (Arc::clone(&host), Arc::clone(&stop));
        thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let mut list: Vec<ParameterInfo> = KEPT.iter().map(|id| float(id)).collect();
                if n.is_multiple_of(2) {
                    list.push(float("transient"));
                    list.rotate_left(1);
                }
                host.replace_parameters(list).unwrap();
                n += 1;
            }
            n
        })
    };
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (host, stop, handle_a) = (Arc::clone(&host), Arc::clone(&stop), handle_a.clone());
            thread::spawn(move || {
                let mut reads = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    for p in host.parameters() {
                        if let Some(slot) = KEPT.iter().position(|k| *k == p.id) {
                            let k = p.value - (slot * 100_000) as f64;
                            assert!(
                                p.value == 0.0
                                    || (k >= 0.0 && k < f64::from(WRITES) && k.fract() == 0.0),
                                "torn or foreign value {} for {}",
                                p.value,
                                p.id
                            );
                        }
                    }
                    let a = handle_a.get();
                    assert!(
                        a == 0.0 || (a < f64::from(WRITES) && a.fract() == 0.0),
                        "handle read {a}"
                    );
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    let writers: Vec<_> = KEPT
        .iter()
        .enumerate()
        .map(|(slot, id)| {
            let host = Arc::clone(&host);
            thread::spawn(move || {
                for k in 1..WRITES {
                    host.set_parameter(id, written(slot, k)).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let replaces = replacer.join().unwrap();
    let reads: u64 = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(replaces > 10, "the replacer ran only {replaces} times");
    assert!(reads > 10, "the readers ran only {reads} times");

    for (slot, id) in KEPT.iter().enumerate() {
        assert_eq!(
            host.parameter(id).unwrap().value,
            written(slot, WRITES - 1),
            "lost write on {id}"
        );
    }
    assert_eq!(
        handle_a.get(),
        written(0, WRITES - 1),
        "handle taken before the reloads went stale"
    );
}
