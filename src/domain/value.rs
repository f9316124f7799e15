//! Enumerations written as text (in JSON, in the database, in query strings), and the
//! error of a text that is none of their values.

/// A value that is not one of an enumeration's allowed values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {what} (expected one of: {expected})")]
pub struct UnknownValue {
    /// What was expected, e.g. "event kind".
    pub what: &'static str,
    /// The text given.
    pub value: String,
    /// The allowed values, comma separated.
    pub expected: String,
}

/// Declares an enumeration written as text, with its exact strings: `ALL`, `as_str`,
/// `FromStr` (refusing anything else with an [`UnknownValue`]), `Display` and serde.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in a stable order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text written in JSON and stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::UnknownValue;

            fn from_str(s: &str) -> Result<Self, $crate::domain::UnknownValue> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err($crate::domain::UnknownValue {
                        what: $what,
                        value: s.to_string(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;
