//! Swedish identity numbers: personnummer and samordningsnummer.
//!
//! Parsing, validation and masking only; no law. A number is written
//!
//! * in the 12-digit form `ÅÅÅÅMMDDNNNK` or `ÅÅÅÅMMDD-NNNK`, or
//! * in the 10-digit form `ÅÅMMDD-NNNK`, where the separator `+` instead of `-` says the
//!   person turns 100 or more during the year, and no separator is read as `-`.
//!
//! `NNN` is the serial number and `K` the check digit (the Luhn algorithm over the ten digits
//! `ÅÅMMDDNNN`). A samordningsnummer carries the day of birth plus 60 (day 61–91).
//! The century is not covered by the check digit: in the 10-digit form it follows from the
//! separator and a reference date.
//!
//! [`IdentityNumber`] never prints itself in full by accident: it has no `Display`, and its
//! `Debug` is masked. Use [`mask`] (or [`IdentityNumber::masked`]) for anything meant for
//! logs, proofs and error messages.
//!
//! ```
//! use lagrum_engine::identity::{IdentityNumber, mask};
//! let n = IdentityNumber::parse("19380124-8471").expect("valid");
//! assert_eq!(n.digits(), "193801248471");
//! assert_eq!(n.masked(), "19380124-****");
//! assert_eq!(mask("193801248472"), "19380124-****");
//! assert!(IdentityNumber::parse("193801248472").is_err()); // wrong check digit
//! ```

use lagrum_dsl::date::Date;
use lagrum_dsl::model::IdKind;
use std::fmt;

/// A valid personnummer or samordningsnummer, held in the 12-digit form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdentityNumber {
    /// ASCII digits `ÅÅÅÅMMDDNNNK`.
    digits: [u8; 12],
}

/// What is wrong with an identity number. The messages never repeat the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("identitetsnumret är tomt")]
    Empty,
    #[error("identitetsnumret får bara innehålla siffror och ett skiljetecken (`-` eller `+`)")]
    InvalidCharacter,
    #[error("identitetsnumret har {digits} siffror; det ska ha 10 (ÅÅMMDD-NNNK) eller 12 (ÅÅÅÅMMDDNNNK)")]
    Length { digits: usize },
    #[error("skiljetecknet (`-` eller `+`) ska stå före de fyra sista siffrorna")]
    SeparatorPosition,
    #[error("`+` används bara i den tiosiffriga formen (för den som fyller 100 år eller mer)")]
    PlusInLongForm,
    #[error("den tiosiffriga formen kräver ett datum att räkna århundradet från; ange numret med 12 siffror")]
    ShortFormNeedsDate,
    #[error("århundradet kan inte bestämmas")]
    Century,
    #[error("månaden finns inte (01–12)")]
    Month,
    #[error("dagen finns inte i månaden")]
    Day,
    #[error("dagen finns inte i månaden (ett samordningsnummer har födelsedagen plus 60)")]
    CoordinationDay,
    #[error("födelsedatumet ligger efter {on}")]
    Future { on: Date },
    #[error("kontrollsiffran stämmer inte: någon siffra är fel")]
    CheckDigit,
}

/// How the number was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    None,
    Minus,
    Plus,
}

impl IdentityNumber {
    /// Parses the 12-digit form (`ÅÅÅÅMMDDNNNK` or `ÅÅÅÅMMDD-NNNK`). The 10-digit form needs
    /// a reference date for the century: use [`IdentityNumber::parse_on`].
    pub fn parse(text: &str) -> Result<IdentityNumber, IdentityError> {
        parse(text, None)
    }

    /// Parses either form as of the date `on`: the 10-digit form gets its century from
    /// `on` and the separator, and a birth date after `on` is an error.
    pub fn parse_on(text: &str, on: Date) -> Result<IdentityNumber, IdentityError> {
        parse(text, Some(on))
    }

    /// Builds a valid number from its parts, computing the check digit. `day_of_birth` is
    /// the real day; a samordningsnummer gets 60 added. `None` if the date or serial number
    /// (0–999) cannot form a number.
    pub fn from_parts(birth: Date, serial: u16, kind: IdKind) -> Option<IdentityNumber> {
        if serial > 999 || birth.year() > 9999 {
            return None;
        }
        let day = match kind {
            IdKind::Personnummer => birth.day(),
            IdKind::Samordningsnummer => birth.day() + 60,
        };
        let text = format!("{:04}{:02}{:02}{:03}", birth.year(), birth.month(), day, serial);
        let mut digits = [b'0'; 12];
        for (slot, b) in digits.iter_mut().zip(text.bytes()) {
            *slot = b;
        }
        let ten = digits.get(2..11)?;
        let check = check_digit(ten)?;
        if let Some(last) = digits.get_mut(11) {
            *last = b'0' + check;
        }
        Some(IdentityNumber { digits })
    }

    /// The number in the 12-digit form without separator, `ÅÅÅÅMMDDNNNK`. This is the full
    /// number: do not write it to logs (use [`IdentityNumber::masked`]).
    pub fn digits(&self) -> &str {
        std::str::from_utf8(&self.digits).unwrap_or("")
    }

    /// `personnummer` or `samordningsnummer`.
    pub fn kind(&self) -> IdKind {
        if self.raw_day() > 60 {
            IdKind::Samordningsnummer
        } else {
            IdKind::Personnummer
        }
    }

    /// The date of birth (for a samordningsnummer: the day minus 60).
    pub fn birth_date(&self) -> Date {
        let day = match self.kind() {
            IdKind::Personnummer => self.raw_day(),
            IdKind::Samordningsnummer => self.raw_day() - 60,
        };
        Date::new(self.year(), self.num(4, 2) as u8, day).unwrap_or(Date::MIN)
    }

    /// The 10-digit form with the separator that applies on `on`: `ÅÅMMDD-NNNK`, or
    /// `ÅÅMMDD+NNNK` from the year the person turns 100.
    pub fn short_form(&self, on: Date) -> String {
        let sep = if i32::from(on.year()) - i32::from(self.year()) >= 100 {
            '+'
        } else {
            '-'
        };
        let head = self.digits().get(2..8).unwrap_or("");
        let tail = self.digits().get(8..12).unwrap_or("");
        format!("{head}{sep}{tail}")
    }

    /// The number for logs: `ÅÅÅÅMMDD-****`.
    pub fn masked(&self) -> String {
        mask(self.digits())
    }

    fn num(&self, at: usize, len: usize) -> u16 {
        self.digits
            .iter()
            .skip(at)
            .take(len)
            .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'))
    }

    fn year(&self) -> u16 {
        self.num(0, 4)
    }

    fn raw_day(&self) -> u8 {
        self.num(6, 2) as u8
    }
}

impl fmt::Debug for IdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdentityNumber({})", self.masked())
    }
}

/// Masks an identity number, or anything that might be one, for logs and messages: keeps
/// at most the date part (`ÅÅÅÅMMDD` of 12 or more digits, `ÅÅMMDD` of 10 or 11) and
/// replaces the rest with `-****`. Never prints the last four digits or any character that is
/// not a digit.
///
/// ```
/// use lagrum_engine::identity::mask;
/// assert_eq!(mask("19380124-8471"), "19380124-****");
/// assert_eq!(mask("380124+8471"), "380124-****");
/// assert_eq!(mask("Bertil"), "****");
/// ```
pub fn mask(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let keep = match digits.len() {
        n if n >= 12 => 8,
        10 | 11 => 6,
        _ => 0,
    };
    match digits.get(..keep) {
        Some(head) if !head.is_empty() => format!("{head}-****"),
        _ => "****".to_string(),
    }
}

/// Masks every run of text in `message` that looks like an identity number (10 or more
/// digits, possibly with `-`/`+` between them), leaving the rest as it is. For messages from
/// other libraries that may echo the input.
pub fn mask_in_text(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let digits = run.chars().filter(char::is_ascii_digit).count();
        if digits >= 10 {
            out.push_str(&mask(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in message.chars() {
        let continues = c.is_ascii_digit() || ((c == '-' || c == '+') && run.chars().any(|x| x.is_ascii_digit()));
        if continues {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The Luhn check digit for nine ASCII digits `ÅÅMMDDNNN`.
pub fn check_digit(nine: &[u8]) -> Option<u8> {
    if nine.len() != 9 || !nine.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d - b'0') * if i % 2 == 0 { 2 } else { 1 };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    u8::try_from((10 - sum % 10) % 10).ok()
}

fn parse(text: &str, on: Option<Date>) -> Result<IdentityNumber, IdentityError> {
    let (digits, separator) = scan(text)?;
    let number = IdentityNumber {
        digits: full_form(&digits, separator, on)?,
    };
    validate(&number, on)?;
    Ok(number)
}

/// The digits and the separator, checked for characters, length (10 or 12 digits) and
/// where the separator stands (before the last four digits).
fn scan(text: &str) -> Result<(Vec<u8>, Separator), IdentityError> {
    if text.is_empty() {
        return Err(IdentityError::Empty);
    }
    let mut digits = Vec::with_capacity(12);
    let mut separator = Separator::None;
    let mut separator_at = None;
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c as u8),
            '-' | '+' if separator_at.is_none() => {
                separator = if c == '+' { Separator::Plus } else { Separator::Minus };
                separator_at = Some(digits.len());
            }
            '-' | '+' => return Err(IdentityError::SeparatorPosition),
            _ => return Err(IdentityError::InvalidCharacter),
        }
        if digits.len() > 12 {
            break;
        }
    }
    let n = text.chars().filter(char::is_ascii_digit).count();
    if n != 10 && n != 12 {
        return Err(IdentityError::Length { digits: n });
    }
    if let Some(at) = separator_at
        && at + 4 != n
    {
        return Err(IdentityError::SeparatorPosition);
    }
    Ok((digits, separator))
}

/// The twelve-digit form: as given, or the ten-digit form with its century, the latest
/// year ending in its two digits that is not after the reference date (`+`: a century
/// earlier).
fn full_form(digits: &[u8], separator: Separator, on: Option<Date>) -> Result<[u8; 12], IdentityError> {
    let mut full = [b'0'; 12];
    if digits.len() == 12 {
        if separator == Separator::Plus {
            return Err(IdentityError::PlusInLongForm);
        }
        for (slot, d) in full.iter_mut().zip(digits) {
            *slot = *d;
        }
        return Ok(full);
    }
    let on = on.ok_or(IdentityError::ShortFormNeedsDate)?;
    let yy = digits
        .iter()
        .take(2)
        .fold(0i32, |acc, d| acc * 10 + i32::from(d - b'0'));
    let this_year = i32::from(on.year());
    let mut year = this_year - (this_year - yy).rem_euclid(100);
    if separator == Separator::Plus {
        year -= 100;
    }
    if !(0..=9999).contains(&year) {
        return Err(IdentityError::Century);
    }
    let century = format!("{:02}", year / 100);
    for (slot, d) in full.iter_mut().zip(century.bytes().chain(digits.iter().copied())) {
        *slot = d;
    }
    Ok(full)
}

/// Month, day (a samordningsnummer's day plus 60), check digit, and a birth date not
/// after the reference date.
fn validate(number: &IdentityNumber, on: Option<Date>) -> Result<(), IdentityError> {
    let month = number.num(4, 2);
    if !(1..=12).contains(&month) {
        return Err(IdentityError::Month);
    }
    let raw_day = number.raw_day();
    let (day, coordination) = if raw_day > 60 {
        (raw_day - 60, true)
    } else {
        (raw_day, false)
    };
    let Some(birth) = Date::new(number.year(), month as u8, day) else {
        return Err(if coordination {
            IdentityError::CoordinationDay
        } else {
            IdentityError::Day
        });
    };
    let ten = number.digits.get(2..11).ok_or(IdentityError::CheckDigit)?;
    let check = check_digit(ten).ok_or(IdentityError::CheckDigit)?;
    if number.digits.get(11) != Some(&(b'0' + check)) {
        return Err(IdentityError::CheckDigit);
    }
    if let Some(on) = on
        && birth > on
    {
        return Err(IdentityError::Future { on });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn reads_the_navet_example_number_in_every_form() {
        let on = date("2025-06-01");
        for text in ["193801248471", "19380124-8471", "380124-8471", "3801248471"] {
            let n = IdentityNumber::parse_on(text, on).unwrap();
            assert_eq!(n.digits(), "193801248471", "{text}");
            assert_eq!(n.kind(), IdKind::Personnummer);
            assert_eq!(n.birth_date(), date("1938-01-24"));
        }
        assert_eq!(
            IdentityNumber::parse("193801248471").unwrap().short_form(on),
            "380124-8471"
        );
    }

    #[test]
    fn plus_means_a_hundred_years_or_more() {
        let on = date("2025-06-01");
        // Born 1924: turns 101 in 2025, so the short form has `+`.
        let n = IdentityNumber::from_parts(date("1924-03-05"), 123, IdKind::Personnummer).unwrap();
        let short = n.short_form(on);
        assert!(short.contains('+'), "{short}");
        assert_eq!(IdentityNumber::parse_on(&short, on).unwrap(), n);
        // The same digits with `-` are a person born 2024.
        let minus = short.replace('+', "-");
        assert_eq!(
            IdentityNumber::parse_on(&minus, on).unwrap().birth_date(),
            date("2024-03-05")
        );
        // The separator changes in the year the person turns 100, not on the birthday.
        let born_1925 = IdentityNumber::from_parts(date("1925-12-31"), 1, IdKind::Personnummer).unwrap();
        assert!(born_1925.short_form(date("2025-01-01")).contains('+'));
        assert!(born_1925.short_form(date("2024-12-31")).contains('-'));
    }

    #[test]
    fn samordningsnummer_has_day_plus_sixty() {
        let n = IdentityNumber::from_parts(date("1990-02-28"), 77, IdKind::Samordningsnummer).unwrap();
        assert_eq!(n.digits().get(6..8), Some("88"));
        assert_eq!(n.kind(), IdKind::Samordningsnummer);
        assert_eq!(n.birth_date(), date("1990-02-28"));
        assert_eq!(IdentityNumber::parse(n.digits()).unwrap(), n);
    }

    #[test]
    fn says_what_is_wrong() {
        let cases = [
            ("", IdentityError::Empty),
            ("19380124 8471", IdentityError::InvalidCharacter),
            ("1938012484712", IdentityError::Length { digits: 13 }),
            ("3801248", IdentityError::Length { digits: 7 }),
            ("193801-248471", IdentityError::SeparatorPosition),
            ("19380124--8471", IdentityError::SeparatorPosition),
            ("19380124+8471", IdentityError::PlusInLongForm),
            ("193813248471", IdentityError::Month),
            ("193802308471", IdentityError::Day),
            ("193802908471", IdentityError::CoordinationDay),
            ("193801248472", IdentityError::CheckDigit),
        ];
        for (text, want) in cases {
            assert_eq!(IdentityNumber::parse(text), Err(want), "{text:?}");
        }
        assert_eq!(
            IdentityNumber::parse("380124-8471"),
            Err(IdentityError::ShortFormNeedsDate)
        );
        let on = date("1930-01-01");
        assert_eq!(
            IdentityNumber::parse_on("193801248471", on),
            Err(IdentityError::Future { on })
        );
    }

    #[test]
    fn messages_never_repeat_the_number() {
        for text in ["193801248472", "19380124+8471", "193813248471"] {
            let message = IdentityNumber::parse(text).unwrap_err().to_string();
            assert!(!message.contains("8471") && !message.contains("8472"), "{message}");
        }
    }

    #[test]
    fn masks_numbers_and_garbage() {
        assert_eq!(mask("193801248471"), "19380124-****");
        assert_eq!(mask("19380124-8471"), "19380124-****");
        assert_eq!(mask("3801248471"), "380124-****");
        assert_eq!(mask("12345"), "****");
        assert_eq!(mask("hemlig adress 12"), "****");
        assert_eq!(mask(""), "****");
        assert_eq!(
            format!("{:?}", IdentityNumber::parse("193801248471").unwrap()),
            "IdentityNumber(19380124-****)"
        );
        assert_eq!(
            mask_in_text("invalid type: integer `193801248471`, expected a string at line 3"),
            "invalid type: integer `19380124-****`, expected a string at line 3"
        );
        assert_eq!(mask_in_text("rad 12, 2024-01-01"), "rad 12, 2024-01-01");
        assert_eq!(mask_in_text("x 380124-8471 y"), "x 380124-**** y");
    }

    fn valid_parts() -> impl Strategy<Value = (Date, u16, IdKind)> {
        (1850u16..=2024, 1u8..=12, 1u8..=31, 0u16..=999, prop::bool::ANY).prop_filter_map(
            "no such day",
            |(y, m, d, serial, coordination)| {
                let kind = if coordination {
                    IdKind::Samordningsnummer
                } else {
                    IdKind::Personnummer
                };
                Date::new(y, m, d).map(|date| (date, serial, kind))
            },
        )
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip((birth, serial, kind) in valid_parts()) {
            let on = Date::new(2025, 6, 1).unwrap();
            let n = IdentityNumber::from_parts(birth, serial, kind).unwrap();
            prop_assert_eq!(n.kind(), kind);
            prop_assert_eq!(n.birth_date(), birth);
            prop_assert_eq!(IdentityNumber::parse(n.digits()), Ok(n));
            let dashed = format!("{}-{}", &n.digits()[..8], &n.digits()[8..]);
            prop_assert_eq!(IdentityNumber::parse(&dashed), Ok(n));
            prop_assert_eq!(IdentityNumber::parse_on(&n.short_form(on), on), Ok(n));
            prop_assert_eq!(n.masked(), format!("{}-****", &n.digits()[..8]));
        }

        #[test]
        fn any_single_wrong_digit_is_caught(
            (birth, serial, kind) in valid_parts(),
            at in 2usize..12,
            delta in 1u8..10,
        ) {
            // Every digit the check digit covers (all but the century).
            let n = IdentityNumber::from_parts(birth, serial, kind).unwrap();
            let mut bytes = n.digits().as_bytes().to_vec();
            bytes[at] = b'0' + (bytes[at] - b'0' + delta) % 10;
            let wrong = String::from_utf8(bytes).unwrap();
            prop_assert!(IdentityNumber::parse(&wrong).is_err(), "{} accepted", wrong);
            let on = Date::new(2025, 6, 1).unwrap();
            let short = format!("{}-{}", &wrong[2..8], &wrong[8..]);
            prop_assert!(IdentityNumber::parse_on(&short, on).is_err(), "{} accepted", short);
        }

        #[test]
        fn parsing_never_panics_and_masking_hides_the_tail(text in "\\PC{0,20}") {
            let _ = IdentityNumber::parse(&text);
            let masked = mask(&text);
            prop_assert!(masked.ends_with("****"));
            prop_assert!(masked.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '*'));
        }
    }
}
