//! The parameter-id rule is written twice, because `wavecraft-dsp` depends on
//! nothing: `wavecraft_dsp::param::is_snake_case` (what `Params::validate_ids`
//! tells an author) and `wavecraft_protocol::parameter::is_valid_id` (what the
//! host accepts). They must never disagree.

#[test]
fn the_sdk_and_the_host_agree_on_parameter_ids() {
    for id in [
        "gain",
        "cutoff_hz",
        "band2_q",
        "a",
        "x9",
        "",
        "Gain",
        "2band",
        "_gain",
        "gain_",
        "cut__off",
        "cut-off",
        "cut off",
        "émoi",
        "gain\n",
    ] {
        assert_eq!(
            wavecraft::dsp::param::is_snake_case(id),
            wavecraft_protocol::parameter::is_valid_id(id),
            "{id:?}"
        );
    }
}
