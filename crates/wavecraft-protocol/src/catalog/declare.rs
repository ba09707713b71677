//! How a catalog is declared: the [`Method`] and [`Notification`] traits,
//! the `catalog!` macro, and the helpers its expansion calls. The one
//! declaration of Wavecraft's catalog is in the parent module; nothing here
//! names a method.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::{ErrorCode, ErrorObject};

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

/// Decodes `M`'s params (absent counts as `{}`); −32602 when they do not fit.
pub(super) fn decode<M: Method>(params: Option<Value>) -> Result<M::Params, ErrorObject> {
    let value = params.unwrap_or_else(|| Value::Object(Default::default()));
    serde_json::from_value(value).map_err(|e| {
        ErrorObject::new(
            ErrorCode::InvalidParams,
            format!("invalid params for {}: {e}", M::NAME),
        )
    })
}

/// Encodes a result once, straight to text (−32603 if it cannot be).
pub(super) fn encode<T: Serialize>(value: &T) -> Result<Box<RawValue>, ErrorObject> {
    serde_json::value::to_raw_value(value).map_err(|e| {
        ErrorObject::new(
            ErrorCode::InternalError,
            format!("result could not be encoded: {e}"),
        )
    })
}

/// −32601 for a name outside the catalog.
pub(super) fn method_not_found(name: &str) -> ErrorObject {
    ErrorObject::new(
        ErrorCode::MethodNotFound,
        format!("no method named {name:?}"),
    )
}

/// `someMethod` → `some_method`, to check a handler's name against its wire name.
#[cfg(test)]
pub(super) fn snake_case(camel: &str) -> String {
    camel
        .chars()
        .flat_map(|c| {
            let lower = c.to_ascii_lowercase();
            c.is_ascii_uppercase()
                .then_some('_')
                .into_iter()
                .chain(std::iter::once(lower))
        })
        .collect()
}

/// Declares a catalog: for each method its wire name, type, handler function, params and
/// result; for each notification its wire name, type and params. What it produces is listed
/// in the `catalog` module's docs.
macro_rules! catalog {
    (
        methods {
            $(
                $(#[$method_doc:meta])*
                $method_name:literal => $method:ident:
                    fn $handler:ident($params:ty) -> $result:ty;
            )*
        }
        notifications {
            $(
                $(#[$notification_doc:meta])*
                $notification_name:literal => $notification:ident($payload:ty);
            )*
        }
    ) => {
        $(
            $(#[$method_doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $method;

            impl $crate::catalog::Method for $method {
                const NAME: &'static str = $method_name;
                type Params = $params;
                type Result = $result;
            }
        )*

        $(
            $(#[$notification_doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $notification;

            impl $crate::catalog::Notification for $notification {
                const NAME: &'static str = $notification_name;
                type Params = $payload;
            }
        )*

        /// Every method name, in catalog order.
        pub const METHODS: &[&str] = &[$($method_name),*];

        /// Every notification name, in catalog order.
        pub const NOTIFICATIONS: &[&str] = &[$($notification_name),*];

        /// What a server implements: one function per method of the catalog, given the
        /// decoded params. A method left out is a compile error.
        pub trait Handlers {
            $(
                $(#[$method_doc])*
                fn $handler(&self, params: $params) -> Result<$result, $crate::ErrorObject>;
            )*
        }

        /// Runs `method` on `handlers`: decodes its params (−32602 when they do not fit),
        /// calls its handler and encodes the result once, straight to text. A name outside
        /// the catalog is −32601.
        pub fn dispatch<H: Handlers + ?Sized>(
            handlers: &H,
            method: &str,
            params: Option<::serde_json::Value>,
        ) -> Result<Box<::serde_json::value::RawValue>, $crate::ErrorObject> {
            match method {
                $(
                    $method_name => $crate::catalog::declare::encode(
                        &handlers.$handler($crate::catalog::declare::decode::<$method>(params)?)?,
                    ),
                )*
                other => Err($crate::catalog::declare::method_not_found(other)),
            }
        }

        /// The UI's typed maps for this catalog: `MethodParams`, `MethodResults`,
        /// `NotificationParams`, `METHODS` and `NOTIFICATIONS`, as TypeScript.
        #[cfg(feature = "typescript")]
        pub fn typescript_maps(cfg: &::ts_rs::Config) -> String {
            $crate::typescript::catalog_maps(
                &[$((
                    $method_name,
                    <$params as ::ts_rs::TS>::name(cfg),
                    <$result as ::ts_rs::TS>::name(cfg),
                )),*],
                &[$(($notification_name, <$payload as ::ts_rs::TS>::name(cfg))),*],
            )
        }

        /// Visits every params, result and payload type of this catalog, for the
        /// TypeScript declarations.
        #[cfg(feature = "typescript")]
        pub fn visit_types(visitor: &mut impl ::ts_rs::TypeVisitor) {
            $(
                visitor.visit::<$params>();
                visitor.visit::<$result>();
            )*
            $(visitor.visit::<$payload>();)*
        }

        #[test]
        fn handlers_are_named_after_their_methods() {
            $(assert_eq!(
                $crate::catalog::declare::snake_case($method_name),
                stringify!($handler),
                "the handler of {}",
                $method_name,
            );)*
        }
    };
}

pub(crate) use catalog;
