//! `IpcHandler`: Wavecraft's methods over a [`ParameterHost`] and a
//! [`StatusBoard`]. Text in, optional text out; the transport (WebSocket,
//! a plugin window's message channel, a test) is someone else's business.
//!
//! It implements the catalog's [`Handlers`], one function per method, so a
//! method added to the catalog does not compile until it is answered here;
//! the catalog's [`dispatch`] decodes params and encodes results.

use serde_json::value::RawValue;
use serde_json::Value;
use wavecraft_protocol::catalog::{
    dispatch, EditParams, GetAllParametersResult, GetParameterParams, Handlers, NoParams,
    SetParameterParams, SetParameterResult,
};
use wavecraft_protocol::{
    AudioStatus, BuildStatus, EngineInfo, ErrorCode, ErrorObject, ParameterInfo,
};

use crate::rpc::{self, Dispatch};
use crate::{ParameterHost, SetParameterError, StatusBoard, UnknownParameter};

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

impl<H: ParameterHost> Handlers for IpcHandler<H> {
    fn get_all_parameters(&self, _: NoParams) -> Result<GetAllParametersResult, ErrorObject> {
        Ok(GetAllParametersResult {
            parameters: self.host.parameters(),
        })
    }

    fn get_parameter(&self, params: GetParameterParams) -> Result<ParameterInfo, ErrorObject> {
        self.host.parameter(&params.id).ok_or_else(|| {
            ErrorObject::new(
                ErrorCode::ParameterNotFound,
                format!("no parameter with id {:?}", params.id),
            )
        })
    }

    fn set_parameter(&self, params: SetParameterParams) -> Result<SetParameterResult, ErrorObject> {
        match self.host.set_parameter(&params.id, params.value) {
            Ok(stored) => Ok(SetParameterResult {
                id: params.id,
                value: stored.value,
                revision: stored.revision,
            }),
            Err(e @ SetParameterError::NotFound(_)) => Err(ErrorObject::new(
                ErrorCode::ParameterNotFound,
                e.to_string(),
            )),
            Err(e @ SetParameterError::Refused { .. }) => {
                Err(ErrorObject::new(ErrorCode::ValueOutOfRange, e.to_string()))
            }
        }
    }

    fn get_engine_info(&self, _: NoParams) -> Result<Option<EngineInfo>, ErrorObject> {
        Ok(self.status.engine())
    }

    fn get_build_status(&self, _: NoParams) -> Result<BuildStatus, ErrorObject> {
        Ok(self.status.build())
    }

    fn get_audio_status(&self, _: NoParams) -> Result<AudioStatus, ErrorObject> {
        Ok(self.status.audio())
    }

    fn ping(&self, _: NoParams) -> Result<String, ErrorObject> {
        Ok("pong".to_owned())
    }

    fn begin_edit(&self, params: EditParams) -> Result<(), ErrorObject> {
        self.host.begin_edit(&params.id).map_err(not_found)
    }

    fn end_edit(&self, params: EditParams) -> Result<(), ErrorObject> {
        self.host.end_edit(&params.id).map_err(not_found)
    }
}

fn not_found(e: UnknownParameter) -> ErrorObject {
    ErrorObject::new(ErrorCode::ParameterNotFound, e.to_string())
}

impl<H: ParameterHost> Dispatch for IpcHandler<H> {
    fn call(&self, method: &str, params: Option<Value>) -> Result<Box<RawValue>, ErrorObject> {
        dispatch(self, method, params)
    }
}
