//! JSON-RPC error codes: the five the specification reserves and the two
//! Wavecraft adds for parameters. A code's number and its default message
//! live here and nowhere else.

/// Every error code a Wavecraft IPC endpoint may answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// −32700: the text was not valid JSON.
    ParseError,
    /// −32600: valid JSON, but not a JSON-RPC 2.0 request object.
    InvalidRequest,
    /// −32601: no method of that name.
    MethodNotFound,
    /// −32602: the params were missing, of the wrong shape or of the wrong type.
    InvalidParams,
    /// −32603: the server failed while handling a valid request.
    InternalError,
    /// −32000: no parameter has the given id.
    ParameterNotFound,
    /// −32001: the value is not finite, out of range, or wrong for the parameter's kind.
    ValueOutOfRange,
}

impl ErrorCode {
    /// Every code, in catalog order.
    pub const ALL: [ErrorCode; 7] = [
        ErrorCode::ParseError,
        ErrorCode::InvalidRequest,
        ErrorCode::MethodNotFound,
        ErrorCode::InvalidParams,
        ErrorCode::InternalError,
        ErrorCode::ParameterNotFound,
        ErrorCode::ValueOutOfRange,
    ];

    /// The number sent on the wire.
    pub const fn code(self) -> i32 {
        match self {
            ErrorCode::ParseError => -32700,
            ErrorCode::InvalidRequest => -32600,
            ErrorCode::MethodNotFound => -32601,
            ErrorCode::InvalidParams => -32602,
            ErrorCode::InternalError => -32603,
            ErrorCode::ParameterNotFound => -32000,
            ErrorCode::ValueOutOfRange => -32001,
        }
    }

    /// The short message sent with the code (the specification's wording for its own codes).
    pub const fn message(self) -> &'static str {
        match self {
            ErrorCode::ParseError => "Parse error",
            ErrorCode::InvalidRequest => "Invalid Request",
            ErrorCode::MethodNotFound => "Method not found",
            ErrorCode::InvalidParams => "Invalid params",
            ErrorCode::InternalError => "Internal error",
            ErrorCode::ParameterNotFound => "Parameter not found",
            ErrorCode::ValueOutOfRange => "Value out of range",
        }
    }

    /// The camelCase key this code has in the generated TypeScript `ERROR_CODES` table.
    pub const fn key(self) -> &'static str {
        match self {
            ErrorCode::ParseError => "parseError",
            ErrorCode::InvalidRequest => "invalidRequest",
            ErrorCode::MethodNotFound => "methodNotFound",
            ErrorCode::InvalidParams => "invalidParams",
            ErrorCode::InternalError => "internalError",
            ErrorCode::ParameterNotFound => "parameterNotFound",
            ErrorCode::ValueOutOfRange => "valueOutOfRange",
        }
    }

    /// The code with this number, if it is one of ours.
    pub fn from_code(code: i32) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(c.code()), Some(c));
        }
        let mut codes: Vec<i32> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
        assert_eq!(ErrorCode::from_code(-1), None);
    }
}
