//! The `{ json, bytes }` message objects both sides exchange; the JSON is written and read by
//! [`crate::jobs::wire`], so a NaN in a result arrives as NaN instead of breaking the message.

use crate::jobs::wire::{from_json, to_json};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Builds the message object for `value` with optional bytes, and the list of buffers to
/// transfer with it.
pub fn pack<T: Serialize>(value: &T, bytes: &[u8]) -> Result<(Object, Array), String> {
    let json = to_json(value).map_err(|e| format!("could not encode a message: {e}"))?;
    let object = Object::new();
    let transfer = Array::new();
    Reflect::set(&object, &"json".into(), &JsValue::from_str(&json))
        .map_err(|_| "could not build a message".to_string())?;
    if !bytes.is_empty() {
        let array = Uint8Array::from(bytes);
        transfer.push(&array.buffer());
        Reflect::set(&object, &"bytes".into(), &array)
            .map_err(|_| "could not attach bytes to a message".to_string())?;
    }
    Ok((object, transfer))
}

/// Reads a message object: the decoded JSON and the attached bytes (empty when none).
pub fn unpack<T: DeserializeOwned>(data: &JsValue) -> Result<(T, Vec<u8>), String> {
    let json = Reflect::get(data, &"json".into())
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| "a message without its JSON part".to_string())?;
    let value = from_json(&json).map_err(|e| format!("an unreadable message: {e}"))?;
    let bytes = Reflect::get(data, &"bytes".into())
        .ok()
        .and_then(|v| v.dyn_into::<Uint8Array>().ok())
        .map(|a| a.to_vec())
        .unwrap_or_default();
    Ok((value, bytes))
}
