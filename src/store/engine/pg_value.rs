//! rusqlite's five value kinds to and from PostgreSQL's types. The store binds and reads SQLite's
//! kinds (integer, real, text, blob, null); PostgreSQL is strictly typed, so a value is written
//! as whatever type the server says the parameter has, and any column the schema uses is read
//! back as the nearest kind.

use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use rusqlite::types::Value;

type BoxError = Box<dyn StdError + Sync + Send>;

/// A parameter, written as the type the server inferred for its placeholder.
#[derive(Debug)]
pub struct PgParam(pub Value);

impl ToSql for PgParam {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => integer_as(*i, ty, out),
            Value::Real(x) => real_as(*x, ty, out),
            Value::Text(s) => text_as(s, ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn integer_as(i: i64, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::INT8 => i.to_sql(ty, out),
        Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
        Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
        Type::FLOAT8 => (i as f64).to_sql(ty, out),
        Type::FLOAT4 => (i as f32).to_sql(ty, out),
        Type::BOOL => (i != 0).to_sql(ty, out),
        Type::OID => u32::try_from(i)?.to_sql(ty, out),
        _ => i.to_string().as_str().to_sql(&Type::TEXT, out),
    }
}

fn real_as(x: f64, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::FLOAT8 => x.to_sql(ty, out),
        Type::FLOAT4 => (x as f32).to_sql(ty, out),
        Type::INT8 if x.fract() == 0.0 => (x as i64).to_sql(ty, out),
        Type::INT4 if x.fract() == 0.0 => (x as i32).to_sql(ty, out),
        _ => x.to_string().as_str().to_sql(&Type::TEXT, out),
    }
}

fn text_as(s: &str, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::INT8 => s.trim().parse::<i64>()?.to_sql(ty, out),
        Type::INT4 => s.trim().parse::<i32>()?.to_sql(ty, out),
        Type::FLOAT8 => s.trim().parse::<f64>()?.to_sql(ty, out),
        Type::BYTEA => s.as_bytes().to_sql(ty, out),
        // TEXT, VARCHAR, NAME, BPCHAR, UNKNOWN: the text's own bytes.
        _ => {
            out.extend_from_slice(s.as_bytes());
            Ok(IsNull::No)
        }
    }
}

/// A column's value as one of rusqlite's kinds.
pub struct PgCell(pub Value);

impl<'a> FromSql<'a> for PgCell {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(PgCell(match *ty {
            Type::BOOL => Value::Integer(bool::from_sql(ty, raw)? as i64),
            Type::INT2 => Value::Integer(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Value::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::OID => Value::Integer(u32::from_sql(ty, raw)?.into()),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => Value::Blob(raw.to_vec()),
            Type::JSONB => Value::Text(std::str::from_utf8(raw.get(1..).unwrap_or(&[]))?.into()),
            // TEXT, VARCHAR, NAME, BPCHAR, JSON, and anything else sent as text.
            _ => Value::Text(std::str::from_utf8(raw)?.to_string()),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(PgCell(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// NUMERIC's binary form (base-10000 digits, a weight and a sign), as SQLite would hold the
/// same number: an integer when it has no fraction and fits, a real otherwise. `SUM` and `AVG`
/// of integers are NUMERIC on PostgreSQL.
fn numeric(raw: &[u8]) -> Result<Value, BoxError> {
    let word = |i: usize| -> Result<u16, BoxError> {
        raw.get(i * 2..i * 2 + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "truncated NUMERIC".into())
    };
    let ndigits = word(0)? as usize;
    let weight = word(1)? as i16 as i32;
    let sign = word(2)?;
    let scale = word(3)?;
    if sign == 0xC000 {
        return Ok(Value::Real(f64::NAN));
    }
    let negative = sign == 0x4000;
    let mut real = 0f64;
    // Exact while every digit sits at a non-negative power and the sum fits.
    let mut whole: Option<i128> = (scale == 0).then_some(0);
    for i in 0..ndigits {
        let digit = word(4 + i)?;
        let power = weight - i as i32;
        real += f64::from(digit) * 10000f64.powi(power);
        whole = whole.and_then(|w| {
            let place = 10000i128.checked_pow(u32::try_from(power).ok()?)?;
            w.checked_add(i128::from(digit).checked_mul(place)?)
        });
    }
    let sign = if negative { -1 } else { 1 };
    match whole.and_then(|w| i64::try_from(sign * w).ok()) {
        Some(i) => Ok(Value::Integer(i)),
        None => Ok(Value::Real(sign as f64 * real)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric_bytes(words: &[u16]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_be_bytes()).collect()
    }

    #[test]
    fn numeric_integers_and_fractions() {
        // 123456789 = [1, 2345, 6789] with weight 2.
        let n = numeric_bytes(&[3, 2, 0, 0, 1, 2345, 6789]);
        assert_eq!(numeric(&n).unwrap(), Value::Integer(123_456_789));
        // -42
        let n = numeric_bytes(&[1, 0, 0x4000, 0, 42]);
        assert_eq!(numeric(&n).unwrap(), Value::Integer(-42));
        // 0 (no digits)
        let n = numeric_bytes(&[0, 0, 0, 0]);
        assert_eq!(numeric(&n).unwrap(), Value::Integer(0));
        // 12.5 = [12, 5000] weight 0, scale 1
        let n = numeric_bytes(&[2, 0, 0, 1, 12, 5000]);
        assert_eq!(numeric(&n).unwrap(), Value::Real(12.5));
        // 20000 = [2] weight 1
        let n = numeric_bytes(&[1, 1, 0, 0, 2]);
        assert_eq!(numeric(&n).unwrap(), Value::Integer(20_000));
    }
}
