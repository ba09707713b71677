//! `IpcHandler`: Wavecraft's method table over a [`ParameterHost`] and a
//! [`StatusBoard`]. Text in, optional text out; the transport (WebSocket,
//! a plugin window's message channel, a test) is someone else's business.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;
use wavecraft_protocol::catalog::{
    GetAllParameters, GetAllParametersResult, GetAudioStatus, GetBuildStatus, GetEngineInfo,
    GetParameter, Method, Ping, SetParameter, SetParameterResult,
};
use wavecraft_protocol::{ErrorCode, ErrorObject};

use crate::rpc::{self, Dispatch};
use crate::{ParameterHost, SetParameterError, StatusBoard};

/// Answers Wavecraft's JSON-RPC methods. Never panics, whatever it is fed.
#[derive(Debug)]
pub struct IpcHandler<H> {
    host: H,
    status: std::sync::Arc<StatusBoard>,
}

impl<H: ParameterHost> IpcHandler<H> {
    /// A handler over `host`, reporting the status kept on `status`.
    pub fn new(host: H, status: std::sync::Arc<StatusBoard>) -> Self {
        IpcHandler { host, status }
    }

    /// The parameter host this handler serves.
    pub fn host(&self) -> &H {
        &self.host
    }

    /// Handles one JSON-RPC message (single or batch); `None` when no reply is due.
    pub fn handle(&self, text: &str) -> Option<String> {
        rpc::handle_text(self, text)
    }
}

fn params<M: Method>(params: Option<Value>) -> Result<M::Params, ErrorObject>
where
    M::Params: DeserializeOwned,
{
    let value = params.unwrap_or_else(|| Value::Object(Default::default()));
    serde_json::from_value(value).map_err(|e| {
        ErrorObject::new(
            ErrorCode::InvalidParams,
            format!("invalid params for {}: {e}", M::NAME),
        )
    })
}

fn result<T: Serialize>(value: T) -> Result<Box<RawValue>, ErrorObject> {
    serde_json::value::to_raw_value(&value).map_err(|e| {
        ErrorObject::new(
            ErrorCode::InternalError,
            format!("result could not be encoded: {e}"),
        )
    })
}

impl<H: ParameterHost> Dispatch for IpcHandler<H> {
    fn call(&self, method: &str, raw: Option<Value>) -> Result<Box<RawValue>, ErrorObject> {
        match method {
            GetAllParameters::NAME => {
                params::<GetAllParameters>(raw)?;
                result(GetAllParametersResult {
                    parameters: self.host.parameters(),
                })
            }
            GetParameter::NAME => {
                let p = params::<GetParameter>(raw)?;
                match self.host.parameter(&p.id) {
                    Some(info) => result(info),
                    None => Err(ErrorObject::new(
                        ErrorCode::ParameterNotFound,
                        format!("no parameter with id {:?}", p.id),
                    )),
                }
            }
            SetParameter::NAME => {
                let p = params::<SetParameter>(raw)?;
                match self.host.set_parameter(&p.id, p.value) {
                    Ok(value) => result(SetParameterResult { id: p.id, value }),
                    Err(e @ SetParameterError::NotFound(_)) => Err(ErrorObject::new(
                        ErrorCode::ParameterNotFound,
                        e.to_string(),
                    )),
                    Err(e @ SetParameterError::Refused { .. }) => {
                        Err(ErrorObject::new(ErrorCode::ValueOutOfRange, e.to_string()))
                    }
                }
            }
            GetEngineInfo::NAME => {
                params::<GetEngineInfo>(raw)?;
                result(self.status.engine())
            }
            GetBuildStatus::NAME => {
                params::<GetBuildStatus>(raw)?;
                result(self.status.build())
            }
            GetAudioStatus::NAME => {
                params::<GetAudioStatus>(raw)?;
                result(self.status.audio())
            }
            Ping::NAME => {
                params::<Ping>(raw)?;
                result("pong")
            }
            other => Err(ErrorObject::new(
                ErrorCode::MethodNotFound,
                format!("no method named {other:?}"),
            )),
        }
    }
}
