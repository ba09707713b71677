//! The catalog of IPC methods and notifications: each name bound to its
//! params and result types, so a server and a client cannot disagree about
//! either. A method without params accepts the `params` member absent, `{}`
//! or `[]`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[cfg(feature = "typescript")]
use ts_rs::TS;

use crate::{AudioStatus, BuildStatus, Diagnostic, EngineInfo, MeterUpdate, ParameterInfo};

/// A method: a request that gets one response.
pub trait Method {
    /// Its name on the wire.
    const NAME: &'static str;
    /// The `params` member.
    type Params: Serialize + DeserializeOwned;
    /// The `result` member.
    type Result: Serialize + DeserializeOwned;
}

/// A notification: pushed by the server, never answered.
pub trait Notification {
    /// Its name on the wire.
    const NAME: &'static str;
    /// The `params` member.
    type Params: Serialize + DeserializeOwned;
}

/// Params of a method that takes none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

macro_rules! method {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $params:ty => $result:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $ty;
        impl Method for $ty {
            const NAME: &'static str = $name;
            type Params = $params;
            type Result = $result;
        }
    };
}

macro_rules! notification {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $params:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $ty;
        impl Notification for $ty {
            const NAME: &'static str = $name;
            type Params = $params;
        }
    };
}

method!(
    /// Every parameter with its current value.
    GetAllParameters, "getAllParameters", NoParams => GetAllParametersResult
);
method!(
    /// One parameter by id.
    GetParameter, "getParameter", GetParameterParams => ParameterInfo
);
method!(
    /// Sets one parameter's plain value; refused (−32000/−32001) without storing anything.
    SetParameter, "setParameter", SetParameterParams => SetParameterResult
);
method!(
    /// The loaded engine, or null before the first good build.
    GetEngineInfo, "getEngineInfo", NoParams => Option<EngineInfo>
);
method!(
    /// Where the build loop is and what the last build said.
    GetBuildStatus, "getBuildStatus", NoParams => BuildStatus
);
method!(
    /// Which audio backend runs and how.
    GetAudioStatus, "getAudioStatus", NoParams => AudioStatus
);
method!(
    /// Liveness check; answers `"pong"`.
    Ping, "ping", NoParams => String
);

notification!(
    /// One parameter's value changed (set by another client or the host).
    ParameterChangedNotification, "parameterChanged", ParameterChanged
);
notification!(
    /// The parameter list changed after a reload; re-fetch it.
    ParametersChangedNotification, "parametersChanged", ParametersChanged
);
notification!(
    /// A build started.
    BuildStartedNotification, "buildStarted", BuildStarted
);
notification!(
    /// A line of cargo's progress output while a build runs ("Compiling foo v0.1.0").
    BuildProgressNotification, "buildProgress", BuildProgress
);
notification!(
    /// A build finished, well or not.
    BuildFinishedNotification, "buildFinished", BuildFinished
);
notification!(
    /// Meter levels, pushed about 30 times a second.
    MeterUpdateNotification, "meterUpdate", MeterUpdate
);
notification!(
    /// The audio backend's state changed.
    AudioStatusChangedNotification, "audioStatusChanged", AudioStatus
);

/// Every method name, in catalog order.
pub const METHODS: [&str; 7] = [
    GetAllParameters::NAME,
    GetParameter::NAME,
    SetParameter::NAME,
    GetEngineInfo::NAME,
    GetBuildStatus::NAME,
    GetAudioStatus::NAME,
    Ping::NAME,
];

/// Every notification name, in catalog order.
pub const NOTIFICATIONS: [&str; 7] = [
    ParameterChangedNotification::NAME,
    ParametersChangedNotification::NAME,
    BuildStartedNotification::NAME,
    BuildProgressNotification::NAME,
    BuildFinishedNotification::NAME,
    MeterUpdateNotification::NAME,
    AudioStatusChangedNotification::NAME,
];

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
    use super::*;

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
