//! A minimal protobuf wire-format reader and writer: exactly what the storage formats need
//! (varints, length-delimited fields, skipping of fixed-width fields), with offsets kept so that
//! the inspector can point at every field.
//!
//! Groups (wire types 3 and 4, deprecated since proto2) are rejected: none of the messages read
//! here (`runtime.Unknown`, `v1.Secret`, `ObjectMeta`, `v2.EncryptedObject`) uses them.

use std::fmt;

/// A malformed protobuf message. Offsets are relative to the start of the outermost buffer
/// being read (see [`Reader::with_base`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtoError {
    /// The message ends inside a field (its tag, varint or declared length).
    Truncated { offset: usize },
    /// A varint longer than 10 bytes, or a 10th byte above 1.
    VarintTooLong { offset: usize },
    /// Wire type 3, 4 (groups), 6 or 7.
    BadWireType { offset: usize, wire_type: u8 },
    /// Field number 0 or above 2^29 - 1.
    BadFieldNumber { offset: usize, number: u64 },
    /// A string field that is not UTF-8.
    InvalidUtf8 { offset: usize, field: &'static str },
}

impl fmt::Display for ProtoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtoError::Truncated { offset } => {
                write!(f, "truncated protobuf field at byte {offset}")
            }
            ProtoError::VarintTooLong { offset } => {
                write!(f, "protobuf varint too long at byte {offset}")
            }
            ProtoError::BadWireType { offset, wire_type } => {
                write!(
                    f,
                    "unsupported protobuf wire type {wire_type} at byte {offset}"
                )
            }
            ProtoError::BadFieldNumber { offset, number } => {
                write!(f, "invalid protobuf field number {number} at byte {offset}")
            }
            ProtoError::InvalidUtf8 { offset, field } => {
                write!(
                    f,
                    "protobuf string field `{field}` at byte {offset} is not UTF-8"
                )
            }
        }
    }
}

impl std::error::Error for ProtoError {}

/// Wire type 0.
pub const VARINT: u8 = 0;
/// Wire type 1.
pub const FIXED64: u8 = 1;
/// Wire type 2: bytes, strings, embedded messages, packed repeated fields.
pub const LEN: u8 = 2;
/// Wire type 5.
pub const FIXED32: u8 = 5;

/// The value of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireValue<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32(u32),
}

impl WireValue<'_> {
    /// The wire type number.
    pub fn wire_type(&self) -> u8 {
        match self {
            WireValue::Varint(_) => VARINT,
            WireValue::Fixed64(_) => FIXED64,
            WireValue::Bytes(_) => LEN,
            WireValue::Fixed32(_) => FIXED32,
        }
    }
}

/// One field of a message, with its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    pub number: u32,
    pub value: WireValue<'a>,
    /// Offset of the field's tag.
    pub start: usize,
    /// Offset of the value (after the tag and, for [`WireValue::Bytes`], the length).
    pub value_start: usize,
    /// Offset just past the field.
    pub end: usize,
}

impl<'a> Field<'a> {
    /// The bytes of a length-delimited field; `None` for another wire type.
    pub fn bytes(&self) -> Option<&'a [u8]> {
        match self.value {
            WireValue::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The value of a varint field; `None` for another wire type.
    pub fn varint(&self) -> Option<u64> {
        match self.value {
            WireValue::Varint(v) => Some(v),
            _ => None,
        }
    }

    /// A string field: its bytes as UTF-8. `Ok(None)` for another wire type.
    pub fn string(&self, name: &'static str) -> Result<Option<&'a str>, ProtoError> {
        match self.bytes() {
            None => Ok(None),
            Some(b) => std::str::from_utf8(b)
                .map(Some)
                .map_err(|_| ProtoError::InvalidUtf8 {
                    offset: self.value_start,
                    field: name,
                }),
        }
    }
}

/// Iterates over the fields of one message. After an error it yields nothing more.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    failed: bool,
}

impl<'a> Reader<'a> {
    /// Read `buf`; offsets start at 0.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader::with_base(buf, 0)
    }

    /// Read `buf`, which starts at offset `base` of a larger buffer: reported offsets are `base +`
    /// the position in `buf`.
    pub fn with_base(buf: &'a [u8], base: usize) -> Self {
        Reader {
            buf,
            pos: 0,
            base,
            failed: false,
        }
    }

    fn varint(&mut self) -> Result<u64, ProtoError> {
        let start = self.base + self.pos;
        let mut value = 0u64;
        for i in 0..10 {
            let Some(&b) = self.buf.get(self.pos) else {
                return Err(ProtoError::Truncated { offset: start });
            };
            self.pos += 1;
            if i == 9 && b > 1 {
                return Err(ProtoError::VarintTooLong { offset: start });
            }
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ProtoError::VarintTooLong { offset: start })
    }

    fn take(&mut self, n: u64, start: usize) -> Result<&'a [u8], ProtoError> {
        let n = usize::try_from(n).map_err(|_| ProtoError::Truncated { offset: start })?;
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or(ProtoError::Truncated { offset: start })?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn field(&mut self) -> Result<Field<'a>, ProtoError> {
        let start = self.base + self.pos;
        let key = self.varint()?;
        let number = key >> 3;
        if number == 0 || number > (1 << 29) - 1 {
            return Err(ProtoError::BadFieldNumber {
                offset: start,
                number,
            });
        }
        let wire_type = (key & 7) as u8;
        let (value, value_start) = match wire_type {
            VARINT => {
                let vs = self.base + self.pos;
                (WireValue::Varint(self.varint()?), vs)
            }
            FIXED64 => {
                let vs = self.base + self.pos;
                let b = self.take(8, start)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                (WireValue::Fixed64(u64::from_le_bytes(a)), vs)
            }
            LEN => {
                let len = self.varint()?;
                let vs = self.base + self.pos;
                (WireValue::Bytes(self.take(len, start)?), vs)
            }
            FIXED32 => {
                let vs = self.base + self.pos;
                let b = self.take(4, start)?;
                let mut a = [0u8; 4];
                a.copy_from_slice(b);
                (WireValue::Fixed32(u32::from_le_bytes(a)), vs)
            }
            other => {
                return Err(ProtoError::BadWireType {
                    offset: start,
                    wire_type: other,
                })
            }
        };
        Ok(Field {
            number: number as u32,
            value,
            start,
            value_start,
            end: self.base + self.pos,
        })
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Field<'a>, ProtoError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let r = self.field();
        self.failed = r.is_err();
        Some(r)
    }
}

/// Append a varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Append a field key (tag).
pub fn put_key(out: &mut Vec<u8>, number: u32, wire_type: u8) {
    put_varint(out, (u64::from(number) << 3) | u64::from(wire_type));
}

/// Append a length-delimited field (bytes, string or embedded message).
pub fn put_bytes(out: &mut Vec<u8>, number: u32, bytes: &[u8]) {
    put_key(out, number, LEN);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Append a varint field (`int64` values are written as their two's complement `u64`, as
/// protobuf does).
pub fn put_varint_field(out: &mut Vec<u8>, number: u32, v: u64) {
    put_key(out, number, VARINT);
    put_varint(out, v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for v in [0u64, 1, 127, 128, 300, 1 << 35, u64::MAX] {
            let mut out = vec![];
            put_varint_field(&mut out, 5, v);
            let f: Vec<_> = Reader::new(&out).collect();
            assert_eq!(f.len(), 1);
            let f = f[0].as_ref().unwrap();
            assert_eq!((f.number, f.varint()), (5, Some(v)));
            assert_eq!((f.start, f.end), (0, out.len()));
        }
        // 300 is ac 02.
        let mut out = vec![];
        put_varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
    }

    #[test]
    fn fields_with_offsets() {
        let mut out = vec![];
        put_bytes(&mut out, 1, b"abc");
        put_bytes(&mut out, 2, b"1");
        out.extend_from_slice(&[0x0d, 1, 0, 0, 0]); // field 1, fixed32
        out.extend_from_slice(&[0x11, 1, 0, 0, 0, 0, 0, 0, 0]); // field 2, fixed64
        let fields: Vec<_> = Reader::with_base(&out, 10).map(Result::unwrap).collect();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0].bytes(), Some(&b"abc"[..]));
        assert_eq!(
            (fields[0].start, fields[0].value_start, fields[0].end),
            (10, 12, 15)
        );
        assert_eq!(fields[1].string("x").unwrap(), Some("1"));
        assert_eq!(fields[2].value, WireValue::Fixed32(1));
        assert_eq!(fields[3].value, WireValue::Fixed64(1));
        assert_eq!(fields[2].string("x").unwrap(), None);
    }

    #[test]
    fn malformed_input() {
        let first_err = |b: &[u8]| Reader::new(b).find_map(Result::err);
        assert_eq!(
            first_err(&[0x0a, 0x05, 1, 2]),
            Some(ProtoError::Truncated { offset: 0 })
        );
        assert_eq!(
            first_err(&[0x08]),
            Some(ProtoError::Truncated { offset: 1 })
        );
        assert_eq!(
            first_err(&[0x80]),
            Some(ProtoError::Truncated { offset: 0 })
        );
        assert_eq!(
            first_err(&[0x0b]),
            Some(ProtoError::BadWireType {
                offset: 0,
                wire_type: 3
            })
        );
        assert_eq!(
            first_err(&[0x02, 0x00]),
            Some(ProtoError::BadFieldNumber {
                offset: 0,
                number: 0
            })
        );
        assert_eq!(
            first_err(&[0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]),
            Some(ProtoError::VarintTooLong { offset: 1 })
        );
        // A huge declared length does not overflow.
        assert_eq!(
            first_err(&[0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            Some(ProtoError::Truncated { offset: 0 })
        );
        let bad = [0x0a, 0x01, 0xff];
        let f = Reader::new(&bad).next().unwrap().unwrap();
        assert_eq!(
            f.string("keyID"),
            Err(ProtoError::InvalidUtf8 {
                offset: 2,
                field: "keyID"
            })
        );
        // Nothing after an error.
        let mut r = Reader::new(&[0x0b, 0x08, 0x01]);
        assert!(r.next().unwrap().is_err());
        assert!(r.next().is_none());
    }
}
