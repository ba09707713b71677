//! The catalog of IPC methods and notifications, declared once (the
//! `catalog!` invocation below). That one declaration produces:
//! - a type per method, whose [`Method`] impl binds its name to its params and
//!   result types, and a type per notification ([`Notification`]);
//! - [`METHODS`] and [`NOTIFICATIONS`], the name lists;
//! - [`Handlers`], one function per method, and [`dispatch`], which decodes a
//!   method's params, calls its handler and encodes the result, so a server
//!   that lacks a method does not compile (a name outside the catalog is
//!   still −32601 at run time);
//! - with the `typescript` feature, the UI's `MethodParams`, `MethodResults`,
//!   `NotificationParams`, `METHODS` and `NOTIFICATIONS` (`typescript_maps`),
//!   and every type they name (`visit_types`).
//!
//! A method without params accepts the `params` member absent, `{}` or `[]`.
//!
//! A server implements every handler; [`dispatch`] does the rest:
//!
//! ```
//! use wavecraft_protocol::catalog::*;
//! use wavecraft_protocol::{
//!     AudioStatus, BuildStatus, EngineInfo, ErrorCode, ErrorObject, ParameterInfo,
//! };
//!
//! /// A server with no parameters, no engine, no build loop and no audio.
//! struct Idle;
//!
//! fn absent(what: &str) -> ErrorObject {
//!     ErrorObject::new(ErrorCode::InternalError, format!("no {what} here"))
//! }
//!
//! impl Handlers for Idle {
//!     fn get_all_parameters(&self, _: NoParams) -> Result<GetAllParametersResult, ErrorObject> {
//!         Ok(GetAllParametersResult { parameters: Vec::new() })
//!     }
//!     fn get_parameter(&self, p: GetParameterParams) -> Result<ParameterInfo, ErrorObject> {
//!         Err(ErrorObject::new(ErrorCode::ParameterNotFound, p.id))
//!     }
//!     fn set_parameter(&self, p: SetParameterParams) -> Result<SetParameterResult, ErrorObject> {
//!         Err(ErrorObject::new(ErrorCode::ParameterNotFound, p.id))
//!     }
//!     fn get_engine_info(&self, _: NoParams) -> Result<Option<EngineInfo>, ErrorObject> {
//!         Ok(None)
//!     }
//!     fn get_build_status(&self, _: NoParams) -> Result<BuildStatus, ErrorObject> {
//!         Err(absent("build loop"))
//!     }
//!     fn get_audio_status(&self, _: NoParams) -> Result<AudioStatus, ErrorObject> {
//!         Err(absent("audio"))
//!     }
//!     fn ping(&self, _: NoParams) -> Result<String, ErrorObject> {
//!         Ok("pong".to_owned())
//!     }
//!     fn begin_edit(&self, p: EditParams) -> Result<(), ErrorObject> {
//!         Err(ErrorObject::new(ErrorCode::ParameterNotFound, p.id))
//!     }
//!     fn end_edit(&self, p: EditParams) -> Result<(), ErrorObject> {
//!         Err(ErrorObject::new(ErrorCode::ParameterNotFound, p.id))
//!     }
//! }
//!
//! assert_eq!(dispatch(&Idle, "ping", None).unwrap().get(), r#""pong""#);
//! assert_eq!(dispatch(&Idle, "pong", None).unwrap_err().code, -32601);
//! ```
//!
//! A server that leaves a method out is refused by the compiler (the same
//! lines as above, less eight handlers: rustdoc checks the error code only on
//! nightly, so the example above proves the rest compiles):
//!
//! ```compile_fail,E0046
//! use wavecraft_protocol::catalog::*;
//! use wavecraft_protocol::{
//!     AudioStatus, BuildStatus, EngineInfo, ErrorCode, ErrorObject, ParameterInfo,
//! };
//!
//! /// A server with no parameters, no engine, no build loop and no audio.
//! struct Idle;
//!
//! impl Handlers for Idle {
//!     fn ping(&self, _: NoParams) -> Result<String, ErrorObject> {
//!         Ok("pong".to_owned())
//!     }
//! }
//! ```

use serde::{Deserialize, Serialize};

#[cfg(feature = "typescript")]
use ts_rs::TS;

use crate::{AudioStatus, BuildStatus, Diagnostic, EngineInfo, MeterUpdate, ParameterInfo};

mod declare;

use declare::catalog;
pub use declare::{Method, Notification};

/// Params of a method that takes none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

catalog! {
    methods {
        /// Every parameter with its current value.
        "getAllParameters" => GetAllParameters:
            fn get_all_parameters(NoParams) -> GetAllParametersResult;
        /// One parameter by id.
        "getParameter" => GetParameter:
            fn get_parameter(GetParameterParams) -> ParameterInfo;
        /// Sets one parameter's plain value; refused (−32000/−32001) without storing anything.
        "setParameter" => SetParameter:
            fn set_parameter(SetParameterParams) -> SetParameterResult;
        /// The loaded engine, or null before the first good build.
        "getEngineInfo" => GetEngineInfo:
            fn get_engine_info(NoParams) -> Option<EngineInfo>;
        /// Where the build loop is and what the last build said.
        "getBuildStatus" => GetBuildStatus:
            fn get_build_status(NoParams) -> BuildStatus;
        /// Which audio backend runs and how.
        "getAudioStatus" => GetAudioStatus:
            fn get_audio_status(NoParams) -> AudioStatus;
        /// Liveness check; answers `"pong"`.
        "ping" => Ping:
            fn ping(NoParams) -> String;
        /// A person started editing a parameter (pressed a slider, holds a key, opened a text
        /// entry): the values that follow are one gesture, until `endEdit`. Unknown id: −32000.
        "beginEdit" => BeginEdit:
            fn begin_edit(EditParams) -> ();
        /// The gesture `beginEdit` started is over. Unknown id: −32000.
        "endEdit" => EndEdit:
            fn end_edit(EditParams) -> ();
    }
    notifications {
        /// One parameter's value changed (set by another client or the host).
        "parameterChanged" => ParameterChangedNotification(ParameterChanged);
        /// The parameter list changed after a reload; re-fetch it.
        "parametersChanged" => ParametersChangedNotification(ParametersChanged);
        /// A build started.
        "buildStarted" => BuildStartedNotification(BuildStarted);
        /// A line of cargo's progress output while a build runs ("Compiling foo v0.1.0").
        "buildProgress" => BuildProgressNotification(BuildProgress);
        /// A build finished, well or not.
        "buildFinished" => BuildFinishedNotification(BuildFinished);
        /// Meter levels, pushed about 30 times a second.
        "meterUpdate" => MeterUpdateNotification(MeterUpdate);
        /// The audio backend's state changed.
        "audioStatusChanged" => AudioStatusChangedNotification(AudioStatus);
    }
}

/// Result of `getAllParameters`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct GetAllParametersResult {
    /// Every parameter, in the engine's declaration order.
    pub parameters: Vec<ParameterInfo>,
}

/// Params of `getParameter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetParameterParams {
    /// The parameter's id.
    pub id: String,
}

/// Params of `setParameter`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetParameterParams {
    /// The parameter's id.
    pub id: String,
    /// The new plain value.
    pub value: f64,
}

/// Result of `setParameter`: the value now stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct SetParameterResult {
    /// The parameter's id.
    pub id: String,
    /// The stored plain value.
    pub value: f64,
    /// The value's revision (see [`ParameterInfo::revision`]).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub revision: u64,
}

/// Params of `beginEdit` and `endEdit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EditParams {
    /// The parameter's id.
    pub id: String,
}

/// Payload of `parameterChanged`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct ParameterChanged {
    /// The parameter's id.
    pub id: String,
    /// Its new plain value.
    pub value: f64,
    /// The value's revision (see [`ParameterInfo::revision`]).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub revision: u64,
}

/// Payload of `parametersChanged`: how the list differs from the one before the reload.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct ParametersChanged {
    /// Ids that are new.
    pub added: Vec<String>,
    /// Ids that are gone.
    pub removed: Vec<String>,
    /// Ids kept whose shape (range, name, kind, …) changed.
    pub changed: Vec<String>,
}

/// Payload of `buildStarted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct BuildStarted {
    /// The changed files that started it, relative to the project.
    pub files: Vec<String>,
}

/// Payload of `buildProgress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct BuildProgress {
    /// The line as cargo printed it, without colour codes.
    pub line: String,
}

/// Payload of `buildFinished`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct BuildFinished {
    /// Whether the build succeeded and its engine now runs.
    pub ok: bool,
    /// Wall time of the build.
    pub duration_ms: u32,
    /// Cargo's errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::ErrorObject;

    /// A catalog of its own, to show what one declaration produces.
    mod demo {
        use super::catalog;
        use crate::catalog::{GetParameterParams, NoParams, ParameterChanged};
        use crate::EngineInfo;

        catalog! {
            methods {
                /// Answers the id it is given.
                "echoId" => EchoId: fn echo_id(GetParameterParams) -> String;
                /// Takes nothing, answers that no engine is loaded.
                "noEngine" => NoEngine: fn no_engine(NoParams) -> Option<EngineInfo>;
            }
            notifications {
                /// An id was echoed.
                "echoed" => Echoed(ParameterChanged);
            }
        }
    }

    struct Echo;

    impl demo::Handlers for Echo {
        fn echo_id(&self, params: GetParameterParams) -> Result<String, ErrorObject> {
            Ok(params.id)
        }
        fn no_engine(&self, _: NoParams) -> Result<Option<EngineInfo>, ErrorObject> {
            Ok(None)
        }
    }

    fn call(method: &str, params: Option<Value>) -> Result<String, i32> {
        demo::dispatch(&Echo, method, params)
            .map(|raw| raw.get().to_owned())
            .map_err(|e| e.code)
    }

    #[test]
    fn one_declaration_names_binds_and_dispatches() {
        assert_eq!(demo::METHODS, ["echoId", "noEngine"]);
        assert_eq!(demo::NOTIFICATIONS, ["echoed"]);
        assert_eq!(<demo::EchoId as Method>::NAME, "echoId");
        assert_eq!(<demo::Echoed as Notification>::NAME, "echoed");
        assert_eq!(
            call("echoId", Some(serde_json::json!({"id": "gain"}))),
            Ok("\"gain\"".to_owned())
        );
        assert_eq!(
            call("echoId", Some(serde_json::json!(["gain"]))),
            Ok("\"gain\"".to_owned())
        );
        assert_eq!(call("noEngine", None), Ok("null".to_owned()));
        assert_eq!(call("echoId", None), Err(-32602));
        assert_eq!(
            call("noEngine", Some(serde_json::json!({"x": 1}))),
            Err(-32602)
        );
        assert_eq!(call("echoed", None), Err(-32601));
        assert_eq!(call("getAllParameters", None), Err(-32601));
    }

    #[cfg(feature = "typescript")]
    #[test]
    fn one_declaration_declares_the_types_it_uses() {
        let cfg = ts_rs::Config::new();
        let mut declarations = crate::typescript::Declarations::new(&cfg);
        demo::visit_types(&mut declarations);
        let text = declarations.into_text();
        let declared: Vec<&str> = text
            .lines()
            .filter_map(|line| line.strip_prefix("export type "))
            .map(|line| line.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            declared,
            [
                "EngineInfo",
                "GetParameterParams",
                "NoParams",
                "ParameterChanged"
            ]
        );
    }

    #[cfg(feature = "typescript")]
    #[test]
    fn one_declaration_makes_the_typescript_maps() {
        assert_eq!(
            demo::typescript_maps(&ts_rs::Config::new()),
            "/** Params of each method, by name. */
export type MethodParams = {
  echoId: GetParameterParams;
  noEngine: NoParams;
};

/** Result of each method, by name. */
export type MethodResults = {
  echoId: string;
  noEngine: EngineInfo | null;
};

/** Payload of each notification, by name. */
export type NotificationParams = {
  echoed: ParameterChanged;
};

/** Every method name. */
export const METHODS = {
  echoId: \"echoId\",
  noEngine: \"noEngine\",
} as const;

/** Every notification name. */
export const NOTIFICATIONS = {
  echoed: \"echoed\",
} as const;

"
        );
    }

    #[test]
    fn names_are_unique_camel_case() {
        let mut all: Vec<&str> = METHODS
            .iter()
            .chain(NOTIFICATIONS.iter())
            .copied()
            .collect();
        for n in &all {
            assert!(n.chars().next().unwrap().is_ascii_lowercase(), "{n}");
            assert!(n.chars().all(|c| c.is_ascii_alphanumeric()), "{n}");
        }
        all.sort_unstable();
        let len = all.len();
        all.dedup();
        assert_eq!(all.len(), len);
    }

    #[test]
    fn no_params_accepts_an_empty_object() {
        let p: NoParams = serde_json::from_str("{}").unwrap();
        assert_eq!(p, NoParams {});
    }

    #[test]
    fn set_parameter_params_refuse_wrong_types() {
        assert!(
            serde_json::from_str::<SetParameterParams>(r#"{"id":"gain","value":"loud"}"#).is_err()
        );
        assert!(serde_json::from_str::<SetParameterParams>(r#"{"id":3,"value":1}"#).is_err());
        assert!(
            serde_json::from_str::<SetParameterParams>(r#"{"id":"g","value":1,"x":0}"#).is_err()
        );
    }
}
