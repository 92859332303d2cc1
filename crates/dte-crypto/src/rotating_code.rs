//! The classroom's rotating check-in code (SPEC step 4, issue 5 item 1): six digits shown on a
//! display page in the classroom that change every 30 seconds, so that a trainee who is not in
//! the room cannot check in with a code passed on long ago (代签, proxy check-in).
//!
//! The code is TOTP (RFC 6238) with HMAC-SHA256: the step number is
//! `floor(unix_seconds / 30)`, the HMAC of its eight big-endian bytes under the session's secret
//! is cut down by RFC 4226's dynamic truncation (section 5.3), and the last six decimal digits
//! are the code. Anyone holding the secret can recompute a code with a standard TOTP tool
//! (SHA-256, 30 s, 6 digits).
//!
//! The display page and the check use the same clock, the server's: the page shows
//! [`code_at`] for the server's time and refreshes when [`seconds_until_next_code`] runs out.
//! [`accepts`] therefore takes the current step's code and the previous one (issue 5: "the
//! current or previous code counts"), which gives a trainee between 30 and 60 seconds to type
//! what they see, and never a code of a future step.
//!
//! Six digits with two valid codes give a guesser two chances in a million per try: the
//! caller must limit attempts per trainee and session. What the QR code on the display page
//! carries is the caller's business; this module only makes and checks the digits.

use std::fmt;

use rand::rngs::OsRng;
use rand::{CryptoRng, RngCore};
use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

use crate::envelope::hmac_sha256;

/// How long one code is shown, in seconds (RFC 6238's default time step X = 30).
pub const CODE_STEP_SECONDS: u64 = 30;

/// How many digits a code has.
pub const CODE_DIGITS: usize = 6;

/// `10^CODE_DIGITS`: the code is the truncated HMAC modulo this.
const CODE_MODULUS: u32 = 1_000_000;

/// The secret a session's codes are derived from: 32 random bytes, one per session.
///
/// It is a key: keep it on the server (encrypted at rest like any key material) and never
/// send it to a browser; only codes leave the server. `Debug` does not print it.
pub struct SessionSecret(Zeroizing<[u8; 32]>);

impl SessionSecret {
    /// A new secret from the operating system's generator.
    pub fn generate() -> SessionSecret {
        SessionSecret::generate_with_rng(&mut OsRng)
    }

    /// [`SessionSecret::generate`] with the caller's generator (seeded in tests).
    pub fn generate_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> SessionSecret {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(bytes.as_mut());
        SessionSecret(bytes)
    }

    /// A secret from its bytes, as stored.
    pub fn from_bytes(bytes: [u8; 32]) -> SessionSecret {
        SessionSecret(Zeroizing::new(bytes))
    }

    /// The secret's bytes, to store them (encrypted).
    pub fn expose_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The secret as 64 lowercase hexadecimal digits, to store it as text (for example inside
    /// a [`crate::Keyring`] envelope).
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_ref()))
    }

    /// Reads [`SessionSecret::to_hex`]'s text back; `None` unless it is exactly 64 hexadecimal
    /// digits.
    pub fn from_hex(text: &str) -> Option<SessionSecret> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text, bytes.as_mut()).ok()?;
        Some(SessionSecret(bytes))
    }
}

impl fmt::Debug for SessionSecret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("SessionSecret(…)")
    }
}

/// The step number of a moment: `floor(unix_seconds / 30)`. Moments before 1970 (which no
/// caller has) fall in step 0.
pub fn step_at(unix_seconds: i64) -> u64 {
    u64::try_from(unix_seconds).map_or(0, |seconds| seconds / CODE_STEP_SECONDS)
}

/// The six-digit code of a step, with leading zeros ("004821").
pub fn code_for(secret: &SessionSecret, step: u64) -> String {
    let value = truncated(secret, step) % CODE_MODULUS;
    format!("{value:0width$}", width = CODE_DIGITS)
}

/// The code to show at a moment: [`code_for`] of [`step_at`].
pub fn code_at(secret: &SessionSecret, unix_seconds: i64) -> String {
    code_for(secret, step_at(unix_seconds))
}

/// How many seconds the code shown at `unix_seconds` has left (1 to 30): when the display
/// page should fetch the next one.
pub fn seconds_until_next_code(unix_seconds: i64) -> u64 {
    let into_step = u64::try_from(unix_seconds).map_or(0, |seconds| seconds % CODE_STEP_SECONDS);
    CODE_STEP_SECONDS - into_step
}

/// Whether a typed code is the code of the step of `unix_seconds` or of the step before it.
///
/// Spaces around and inside the typed text are ignored ("123 456"); anything else that is not
/// six ASCII digits is refused. Both codes are compared in constant time and both comparisons
/// always run, so the time taken does not tell how close a guess was or which step matched.
pub fn accepts(secret: &SessionSecret, typed_code: &str, unix_seconds: i64) -> bool {
    let typed: String = typed_code
        .chars()
        .filter(|character| !character.is_whitespace())
        .collect();
    if typed.len() != CODE_DIGITS || !typed.bytes().all(|byte| byte.is_ascii_digit()) {
        return false;
    }
    let step = step_at(unix_seconds);
    let current = code_for(secret, step);
    let matches_current = typed.as_bytes().ct_eq(current.as_bytes());
    let matches_previous = match step.checked_sub(1) {
        Some(previous) => typed
            .as_bytes()
            .ct_eq(code_for(secret, previous).as_bytes()),
        None => Choice::from(0),
    };
    (matches_current | matches_previous).into()
}

/// RFC 4226 section 5.3's dynamic truncation of the step's HMAC-SHA256: a 31-bit number.
fn truncated(secret: &SessionSecret, step: u64) -> u32 {
    let mac = hmac_sha256(&secret.0, &[&step.to_be_bytes()]);
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let bytes = [
        mac[offset],
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ];
    u32::from_be_bytes(bytes) & 0x7fff_ffff
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    /// RFC 6238 Appendix A's HMAC-SHA256 seed: the ASCII digits "1234567890" repeated to 32
    /// bytes (the reference code's `seed32`; the prose of Appendix B names the 20-byte seed by
    /// mistake, RFC errata 2866).
    fn rfc6238_secret() -> SessionSecret {
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(b"12345678901234567890123456789012");
        SessionSecret::from_bytes(bytes)
    }

    /// RFC 6238 Appendix B, the SHA256 rows: (unix time, T as the table writes it in hex,
    /// eight-digit TOTP).
    const RFC6238_SHA256: [(i64, u64, u32); 6] = [
        (59, 0x0000_0000_0000_0001, 46_119_246),
        (1_111_111_109, 0x0000_0000_0235_23EC, 68_084_774),
        (1_111_111_111, 0x0000_0000_0235_23ED, 67_062_674),
        (1_234_567_890, 0x0000_0000_0273_EF07, 91_819_424),
        (2_000_000_000, 0x0000_0000_03F9_40AA, 90_698_825),
        (20_000_000_000, 0x0000_0000_27BC_86AA, 77_737_706),
    ];

    #[test]
    fn rfc_6238_appendix_b_sha256_steps_and_codes_are_reproduced() {
        let secret = rfc6238_secret();
        for (time, step, eight_digits) in RFC6238_SHA256 {
            assert_eq!(step_at(time), step, "step of {time}");
            assert_eq!(
                truncated(&secret, step) % 100_000_000,
                eight_digits,
                "{time}"
            );
            // Six digits are the last six of RFC 6238's eight.
            let six = format!("{:06}", eight_digits % 1_000_000);
            assert_eq!(code_for(&secret, step), six, "{time}");
            assert_eq!(code_at(&secret, time), six, "{time}");
        }
    }

    #[test]
    fn issue_5_the_current_or_previous_code_counts_and_no_other() {
        let secret = rfc6238_secret();
        let now = 1_234_567_890; // step 0x273EF07, 0 s into it
        let current = code_for(&secret, step_at(now));
        let previous = code_for(&secret, step_at(now) - 1);
        let older = code_for(&secret, step_at(now) - 2);
        let next = code_for(&secret, step_at(now) + 1);
        assert_eq!(current, "819424");
        assert!(accepts(&secret, &current, now));
        assert!(accepts(&secret, &previous, now));
        assert!(
            accepts(&secret, &current, now + 29),
            "the same step, 29 s on"
        );
        assert!(
            accepts(&secret, &current, now + 59),
            "one step on: now the previous code"
        );
        assert!(
            !accepts(&secret, &current, now + 60),
            "two steps on: expired"
        );
        assert!(!accepts(&secret, &older, now));
        assert!(
            !accepts(&secret, &next, now),
            "a code of a future step never counts"
        );
    }

    #[test]
    fn a_code_changes_every_30_seconds_on_the_step_boundary() {
        let secret = rfc6238_secret();
        assert_eq!(CODE_MODULUS, 10u32.pow(CODE_DIGITS as u32));
        assert_eq!(step_at(0), 0);
        assert_eq!(step_at(29), 0);
        assert_eq!(step_at(30), 1);
        assert_eq!(step_at(-5), 0);
        assert_eq!(code_at(&secret, 30), code_at(&secret, 59));
        assert_ne!(code_at(&secret, 59), code_at(&secret, 60));
        assert_eq!(seconds_until_next_code(30), 30);
        assert_eq!(seconds_until_next_code(59), 1);
    }

    #[test]
    fn typed_codes_are_read_with_spaces_but_nothing_else() {
        let secret = rfc6238_secret();
        let now = 59;
        assert!(accepts(&secret, "119246", now));
        assert!(accepts(&secret, " 119 246 ", now));
        for typed in ["", "11924", "1192460", "119-246", "１１９２４６", "11924a"] {
            assert!(!accepts(&secret, typed, now), "{typed:?}");
        }
    }

    #[test]
    fn the_first_step_has_no_previous_code() {
        let secret = rfc6238_secret();
        assert!(accepts(&secret, &code_for(&secret, 0), 0));
        assert!(accepts(&secret, &code_for(&secret, 0), 59));
        assert!(!accepts(&secret, &code_for(&secret, 0), 60));
    }

    #[test]
    fn each_session_gets_its_own_32_random_bytes_and_their_codes_differ() {
        let mut rng = StdRng::seed_from_u64(7);
        let first = SessionSecret::generate_with_rng(&mut rng);
        let second = SessionSecret::generate_with_rng(&mut rng);
        assert_ne!(first.expose_bytes(), second.expose_bytes());
        let differing = (0..100)
            .filter(|&step| code_for(&first, step) != code_for(&second, step))
            .count();
        assert!(differing >= 95, "{differing} of 100 codes differ");
        assert_ne!(SessionSecret::generate().expose_bytes(), &[0u8; 32]);
    }

    #[test]
    fn a_secret_round_trips_through_hex_and_never_prints() {
        let secret = rfc6238_secret();
        let text = secret.to_hex();
        assert_eq!(text.len(), 64);
        let back = SessionSecret::from_hex(&text).unwrap();
        assert_eq!(back.expose_bytes(), secret.expose_bytes());
        assert!(SessionSecret::from_hex(&text[..62]).is_none());
        assert!(SessionSecret::from_hex(&"zz".repeat(32)).is_none());
        assert_eq!(format!("{secret:?}"), "SessionSecret(…)");
    }
}
