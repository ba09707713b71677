//! Test fixture: a library that claims an engine ABI version this host does not speak.

include!("../../inert_vtable.rs");

export_inert_vtable!(999, text);
