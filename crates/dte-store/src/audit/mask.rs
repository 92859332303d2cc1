//! Masking of personal data before it enters the audit log: resident ID numbers and mainland
//! mobile numbers in free text and in JSON (PIPL art. 51; GB/T 35273-2020).

use serde_json::Value;

/// Masks resident ID numbers and mainland mobile numbers in `text` (PIPL; GB/T 35273-2020):
/// an 18-character ID number (17 digits and a digit or `X`, alone or grouped 6-8-4 by spaces
/// or hyphens) becomes `210102********1234`, an 11-digit mobile number (`1[3-9]` and nine
/// digits, alone, after `86`, or grouped 3-4-4) becomes `138****5678`. A number only matches as
/// a whole: digits directly before or after it make it another number, which is left alone.
/// The audit log applies this to every string and integer of `before`/`after` and to
/// `entity_id`; over-masking an 18-digit non-ID number is the accepted price.
pub fn mask_personal_data(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut masked = String::with_capacity(text.len());
    let mut copied = 0;
    let mut index = 0;
    while index < bytes.len() {
        let starts_number =
            bytes[index].is_ascii_digit() && (index == 0 || !bytes[index - 1].is_ascii_digit());
        if starts_number && let Some((end, replacement)) = personal_number_at(bytes, index) {
            // Both ends sit next to ASCII characters, so they are character boundaries.
            masked.push_str(&text[copied..index]);
            masked.push_str(&replacement);
            copied = end;
            index = end;
            continue;
        }
        index += 1;
    }
    masked.push_str(&text[copied..]);
    masked
}

/// The masked form of an ID number or mobile number starting at `start`, with its end.
fn personal_number_at(bytes: &[u8], start: usize) -> Option<(usize, String)> {
    let id_forms: [(&[usize], Option<u8>); 3] = [
        (&[18], None),
        (&[6, 8, 4], Some(b' ')),
        (&[6, 8, 4], Some(b'-')),
    ];
    for (groups, separator) in id_forms {
        if let Some((end, digits)) = read_groups(bytes, start, groups, separator, true) {
            return Some((end, format!("{}********{}", &digits[..6], &digits[14..])));
        }
    }
    let phone_forms: [(usize, &[usize], Option<u8>); 4] = [
        (0, &[11], None),
        (2, &[11], None),
        (0, &[3, 4, 4], Some(b' ')),
        (0, &[3, 4, 4], Some(b'-')),
    ];
    for (prefix, groups, separator) in phone_forms {
        if prefix > 0 && bytes.get(start..start + prefix) != Some(b"86".as_slice()) {
            continue;
        }
        let Some((end, digits)) = read_groups(bytes, start + prefix, groups, separator, false)
        else {
            continue;
        };
        if digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9') {
            let kept = if prefix > 0 { "86" } else { "" };
            return Some((end, format!("{kept}{}****{}", &digits[..3], &digits[7..])));
        }
    }
    None
}

/// Reads digit groups of the given sizes from `start`, joined directly (no separator) or each
/// by the one separator. The last character may be `X` when `x_last`. The number must end
/// there: a following digit makes it another number. Returns the end and the characters.
fn read_groups(
    bytes: &[u8],
    start: usize,
    groups: &[usize],
    separator: Option<u8>,
    x_last: bool,
) -> Option<(usize, String)> {
    let total: usize = groups.iter().sum();
    let mut characters = String::with_capacity(total);
    let mut index = start;
    for (position, size) in groups.iter().enumerate() {
        if let Some(separator) = separator.filter(|_| position > 0) {
            (bytes.get(index) == Some(&separator)).then_some(())?;
            index += 1;
        }
        for _ in 0..*size {
            let byte = *bytes.get(index)?;
            let last = characters.len() + 1 == total;
            let accepted = byte.is_ascii_digit() || (last && x_last && matches!(byte, b'X' | b'x'));
            accepted.then_some(())?;
            characters.push(char::from(byte.to_ascii_uppercase()));
            index += 1;
        }
    }
    if bytes.get(index).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((index, characters))
}

/// Applies [`mask_personal_data`] to every string and integer in a JSON value (not to object
/// keys). An integer that held a personal number becomes its masked string.
pub fn mask_personal_data_in_json(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(mask_personal_data(text)),
        Value::Number(number) => {
            let text = number.to_string();
            let masked = mask_personal_data(&text);
            if masked == text {
                value.clone()
            } else {
                Value::String(masked)
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(mask_personal_data_in_json).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, member)| (key.clone(), mask_personal_data_in_json(member)))
                .collect(),
        ),
        Value::Null | Value::Bool(_) => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::{mask_personal_data, mask_personal_data_in_json};
    use serde_json::json;

    #[test]
    fn pipl_resident_ids_and_mobile_numbers_are_masked_wherever_they_stand() {
        let cases = [
            ("210102199001011234", "210102********1234"),
            ("21010219900101123X", "210102********123X"),
            ("21010219900101123x", "210102********123X"),
            ("身份证210102199001011234。", "身份证210102********1234。"),
            ("210102 19900101 1234", "210102********1234"),
            ("210102-19900101-123X", "210102********123X"),
            ("13812345678", "138****5678"),
            ("电话：13812345678，", "电话：138****5678，"),
            ("+8613812345678", "+86138****5678"),
            ("+86 138 1234 5678", "+86 138****5678"),
            ("138-1234-5678", "138****5678"),
            ("a13812345678b 19912345678", "a138****5678b 199****5678"),
            (
                "210102199001011234 and 13812345678",
                "210102********1234 and 138****5678",
            ),
        ];
        for (text, masked) in cases {
            assert_eq!(mask_personal_data(text), masked, "{text}");
        }
    }

    #[test]
    fn other_numbers_are_left_alone() {
        for text in [
            "",
            "张三",
            "12812345678",
            "1381234567",
            "138123456789",
            "2101021990010112345",
            "2026112700000000001234567",
            "210102********1234",
            "138****5678",
            "2026-11-27T01:00:00.500123Z",
            "2-02-10-12",
        ] {
            assert_eq!(mask_personal_data(text), text);
        }
    }

    #[test]
    fn pipl_json_strings_and_integers_are_masked_but_keys_kept() {
        let value = json!({
            "13812345678": [13812345678_u64, "210102199001011234", 7, true, null],
            "nested": { "phone": "13912345678" },
        });
        assert_eq!(
            mask_personal_data_in_json(&value),
            json!({
                "13812345678": ["138****5678", "210102********1234", 7, true, null],
                "nested": { "phone": "139****5678" },
            })
        );
    }
}
