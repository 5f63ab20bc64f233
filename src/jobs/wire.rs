//! The JSON that page and worker exchange, with non-finite numbers (issue #18).
//!
//! serde_json writes NaN and ±∞ as `null` (JSON has no such numbers) but refuses to read `null`
//! where an `f64` is expected ("invalid type: null, expected f64"), so one NaN in a result used
//! to break the whole message. [`from_json`] reads `null` as NaN wherever a number is expected
//! (an `Option<f64>` still reads it as `None`); the page shows such values as "not a number".
//! Infinities arrive as NaN: the sign is lost with the number, never the message.

use serde::de::value::StringDeserializer;
use serde::de::{
    DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde::{forward_to_deserialize_any, Deserializer, Serialize};
use serde_json::{Error, Value};

/// The JSON text of `value` (non-finite numbers as `null`).
///
/// # Errors
/// When `value` cannot be written as JSON (a map with non-string keys).
pub fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value)
}

/// Reads JSON written by [`to_json`], `null` read as NaN where a number is expected.
///
/// # Errors
/// When the text is not JSON or does not have the shape of `T`.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let value: Value = serde_json::from_str(text)?;
    T::deserialize(NullAsNan(value))
}

/// A JSON value that answers a request for a number with NaN when it is `null`.
struct NullAsNan(Value);

impl<'de> Deserializer<'de> for NullAsNan {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.into_iter())),
            Value::Object(map) => visitor.visit_map(Map {
                entries: map.into_iter(),
                value: None,
            }),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_f64(f64::NAN),
            other => other.deserialize_f64(visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_f32(f32::NAN),
            other => other.deserialize_f32(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(NullAsNan(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(variant) => {
                let unit: StringDeserializer<Error> = variant.into_deserializer();
                visitor.visit_enum(unit)
            }
            Value::Object(map) if map.len() == 1 => {
                let Some((variant, value)) = map.into_iter().next() else {
                    return Err(serde::de::Error::custom("an empty enum object"));
                };
                visitor.visit_enum(Enum { variant, value })
            }
            other => other.deserialize_enum(name, variants, visitor),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Seq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(NullAsNan(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Map {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key: StringDeserializer<Error> = key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().unwrap_or(Value::Null);
        seed.deserialize(NullAsNan(value))
    }
}

struct Enum {
    variant: String,
    value: Value,
}

impl<'de> EnumAccess<'de> for Enum {
    type Error = Error;
    type Variant = NullAsNan;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, NullAsNan), Error> {
        let name: StringDeserializer<Error> = self.variant.into_deserializer();
        Ok((seed.deserialize(name)?, NullAsNan(self.value)))
    }
}

impl<'de> VariantAccess<'de> for NullAsNan {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::{JobEvent, JobOutput, ProbeOutput, Progress, WorkerReply};
    use crate::saxs::derived::Quantity;
    use serde::Deserialize;

    #[derive(Debug, Serialize, Deserialize)]
    enum Shape {
        Point,
        Circle(f64),
        Pair(f64, f32),
        Box { side: f64, label: Option<f64> },
    }

    #[derive(Debug, Serialize, Deserialize)]
    struct Reading {
        value: Quantity,
        maybe: Option<f64>,
        list: Vec<f64>,
        shapes: Vec<Shape>,
        count: u64,
    }

    #[test]
    fn non_finite_numbers_survive_as_nan() {
        let r = Reading {
            value: Quantity {
                value: f64::NAN,
                err: f64::INFINITY,
            },
            maybe: None,
            list: vec![1.0, f64::NEG_INFINITY, 3.0],
            shapes: vec![
                Shape::Point,
                Shape::Circle(f64::NAN),
                Shape::Pair(2.0, f32::NAN),
                Shape::Box {
                    side: f64::NAN,
                    label: Some(4.0),
                },
            ],
            count: u64::MAX,
        };
        let text = to_json(&r).unwrap();
        assert!(text.contains("null"), "{text}");
        assert!(
            serde_json::from_str::<Reading>(&text).is_err(),
            "plain serde_json refuses it"
        );
        let back: Reading = from_json(&text).unwrap();
        assert!(back.value.value.is_nan() && back.value.err.is_nan());
        assert_eq!(back.maybe, None);
        assert!(back.list[0] == 1.0 && back.list[1].is_nan() && back.list[2] == 3.0);
        assert!(matches!(back.shapes[0], Shape::Point));
        assert!(matches!(back.shapes[1], Shape::Circle(v) if v.is_nan()));
        assert!(matches!(back.shapes[2], Shape::Pair(a, b) if a == 2.0 && b.is_nan()));
        assert!(
            matches!(back.shapes[3], Shape::Box { side, label: Some(l) } if side.is_nan() && l == 4.0)
        );
        assert_eq!(back.count, u64::MAX);
    }

    #[test]
    fn worker_replies_read_as_before() {
        let replies = [
            WorkerReply::Ready,
            WorkerReply::Failed("x".into()),
            WorkerReply::Event(JobEvent::Progress(Progress {
                done: 1,
                total: 2,
                note: "n".into(),
            })),
            WorkerReply::Event(JobEvent::Output(JobOutput::Probe(ProbeOutput {
                chunks: 3,
                checksum: u32::MAX - 1,
            }))),
        ];
        for r in replies {
            let text = to_json(&r).unwrap();
            assert_eq!(from_json::<WorkerReply>(&text).unwrap(), r);
        }
        assert!(from_json::<WorkerReply>("{\"Nope\":1}").is_err());
        assert!(from_json::<WorkerReply>("[1,").is_err());
    }
}
