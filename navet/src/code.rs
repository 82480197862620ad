//! Term codes (`termkod`): five digits, the first two name the group.

use std::fmt;

/// A Navet term code such as `01003`. Grouped blocks open with the group's `xx000` code and
/// close with its `xx999` code.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(u32);

impl Code {
    /// Personnummer or samordningsnummer (12 digits).
    pub const IDENTITY: Code = Code(1001);
    /// Sekretessmarkering: `J`, or `$` when removed.
    pub const SEKRETESSMARKERING: Code = Code(1003);
    /// Förnamn, as the seed's examples show it.
    pub const FIRST_NAME: Code = Code(1012);
    /// Efternamn, as the seed's examples show it.
    pub const LAST_NAME: Code = Code(1014);
    /// Skyddad folkbokföring: `J`, or `$` when removed.
    pub const SKYDDAD_FOLKBOKFORING: Code = Code(1020);
    /// Skatteverket's förmedlingsadress, 01051–01055 in this order: first line (in the seed
    /// `FÖRMEDLINGSUPPDRAG SKATTEVERKET`), two address lines, postal code, city.
    pub const FORMEDLINGSADRESS: [Code; 5] = [Code(1051), Code(1052), Code(1053), Code(1054), Code(1055)];

    /// The codes this crate gives a type to; each may occur at most once in a record.
    pub const TYPED: [Code; 10] = [
        Code::IDENTITY,
        Code::SEKRETESSMARKERING,
        Code::FIRST_NAME,
        Code::LAST_NAME,
        Code::SKYDDAD_FOLKBOKFORING,
        Code(1051),
        Code(1052),
        Code(1053),
        Code(1054),
        Code(1055),
    ];

    /// Exactly five ASCII digits.
    pub fn parse(text: &str) -> Option<Code> {
        if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
            text.parse().ok().map(Code)
        } else {
            None
        }
    }

    /// The number, 0–99999.
    pub fn value(self) -> u32 {
        self.0
    }

    /// The group: the first two digits.
    pub fn group(self) -> u32 {
        self.0 / 1000
    }

    /// `xx000`: opens a block of group `xx`.
    pub fn opens_block(self) -> bool {
        self.0.is_multiple_of(1000)
    }

    /// `xx999`: closes a block of group `xx`.
    pub fn closes_block(self) -> bool {
        self.0 % 1000 == 999
    }

    /// A protection flag (`J` / `$`) this crate checks.
    pub fn is_protection(self) -> bool {
        self == Code::SEKRETESSMARKERING || self == Code::SKYDDAD_FOLKBOKFORING
    }

    /// One of the codes with a type (see [`Code::TYPED`]).
    pub fn is_typed(self) -> bool {
        Code::TYPED.contains(&self)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:05}", self.0)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({self})")
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_five_digits() {
        assert_eq!(Code::parse("01003"), Some(Code::SEKRETESSMARKERING));
        assert_eq!(Code::parse("01003").map(|c| c.to_string()), Some("01003".into()));
        for bad in ["1003", "010033", "0100A", "", "+1003", " 1003"] {
            assert_eq!(Code::parse(bad), None, "{bad:?}");
        }
        let open = Code::parse("02000").unwrap();
        assert!(open.opens_block() && !open.closes_block() && open.group() == 2);
        assert!(Code::parse("04999").unwrap().closes_block());
    }
}
