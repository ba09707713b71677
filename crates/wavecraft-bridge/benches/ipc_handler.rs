//! Cost of the two hottest IPC calls through the whole handler (parse,
//! dispatch, host, encode): `getAllParameters` over 100 parameters and
//! `setParameter`. Baseline in the same run: parsing and re-encoding the same
//! request text with serde_json alone, so the ratio shows the handler's own cost.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use wavecraft_bridge::{InMemoryParameterHost, IpcHandler, StatusBoard};
use wavecraft_protocol::{ParameterInfo, ParameterKind};

fn hundred_parameters() -> Vec<ParameterInfo> {
    (0..100)
        .map(|i| ParameterInfo {
            default: 0.0,
            value: 0.0,
            unit: "dB".into(),
            group: format!("Group {}", i / 10),
            ..ParameterInfo::new(
                format!("param_{i}"),
                format!("Parameter {i}"),
                ParameterKind::Float,
                -60.0,
                12.0,
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let host = InMemoryParameterHost::new(hundred_parameters()).expect("valid list");
    let handler = IpcHandler::new(host, Arc::new(StatusBoard::new()));
    let get_all = r#"{"jsonrpc":"2.0","id":1,"method":"getAllParameters"}"#;
    let set = r#"{"jsonrpc":"2.0","id":2,"method":"setParameter","params":{"id":"param_42","value":-6.5}}"#;
    assert!(handler.handle(get_all).unwrap().contains("param_99"));
    assert!(handler.handle(set).unwrap().contains("\"result\""));

    let mut group = c.benchmark_group("ipc");
    group.bench_function("baseline_json_roundtrip", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_str(black_box(set)).unwrap();
            black_box(serde_json::to_string(&v).unwrap())
        })
    });
    group.bench_function("getAllParameters_100", |b| {
        b.iter(|| black_box(handler.handle(black_box(get_all))))
    });
    group.bench_function("setParameter", |b| {
        b.iter(|| black_box(handler.handle(black_box(set))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
