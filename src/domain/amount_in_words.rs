//! The amount in words ("słownie") printed under an invoice total: "sto dwadzieścia trzy złote
//! 45/100". Not a statutory element, but customary (pl-invoicing §6).

use super::money::Money;

const UNITS: [&str; 10] = [
    "",
    "jeden",
    "dwa",
    "trzy",
    "cztery",
    "pięć",
    "sześć",
    "siedem",
    "osiem",
    "dziewięć",
];

const TEENS: [&str; 10] = [
    "dziesięć",
    "jedenaście",
    "dwanaście",
    "trzynaście",
    "czternaście",
    "piętnaście",
    "szesnaście",
    "siedemnaście",
    "osiemnaście",
    "dziewiętnaście",
];

const TENS: [&str; 10] = [
    "",
    "",
    "dwadzieścia",
    "trzydzieści",
    "czterdzieści",
    "pięćdziesiąt",
    "sześćdziesiąt",
    "siedemdziesiąt",
    "osiemdziesiąt",
    "dziewięćdziesiąt",
];

const HUNDREDS: [&str; 10] = [
    "",
    "sto",
    "dwieście",
    "trzysta",
    "czterysta",
    "pięćset",
    "sześćset",
    "siedemset",
    "osiemset",
    "dziewięćset",
];

/// A noun's three forms after a number: one, few (2–4) and many (pl-invoicing §6).
struct Forms {
    one: &'static str,
    few: &'static str,
    many: &'static str,
}

const ZLOTY: Forms = Forms {
    one: "złoty",
    few: "złote",
    many: "złotych",
};

/// Groups of three digits above the units, from the highest. `i64` grosze reach 92 biliardy zł,
/// so every `Money` has words.
const SCALES: [(u64, Forms); 5] = [
    (
        1_000_000_000_000_000,
        Forms {
            one: "biliard",
            few: "biliardy",
            many: "biliardów",
        },
    ),
    (
        1_000_000_000_000,
        Forms {
            one: "bilion",
            few: "biliony",
            many: "bilionów",
        },
    ),
    (
        1_000_000_000,
        Forms {
            one: "miliard",
            few: "miliardy",
            many: "miliardów",
        },
    ),
    (
        1_000_000,
        Forms {
            one: "milion",
            few: "miliony",
            many: "milionów",
        },
    ),
    (
        1_000,
        Forms {
            one: "tysiąc",
            few: "tysiące",
            many: "tysięcy",
        },
    ),
];

impl Forms {
    /// 1 → one; last digit 2–4 except 12–14 → few; everything else (0, 5–21, 25…, 101…) → many.
    fn for_count(&self, n: u64) -> &'static str {
        if n == 1 {
            self.one
        } else if matches!(n % 10, 2..=4) && !matches!(n % 100, 12..=14) {
            self.few
        } else {
            self.many
        }
    }
}

/// "1 234 567,89 zł" → "milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem
/// złotych 89/100". Grosze are always given as digits over 100; negative amounts (corrections)
/// start with "minus".
///
/// A group of exactly one thousand or million is written without "jeden" ("tysiąc", "milion"),
/// as §6 prescribes and as Polish invoice software prints it; "jeden" stays where the group is
/// larger ("sto jeden tysięcy").
pub fn amount_in_words(money: Money) -> String {
    // unsigned_abs: even i64::MIN grosze has words instead of overflowing.
    let grosze = money.grosze().unsigned_abs();
    let zloty = grosze / 100;
    let mut words: Vec<&str> = Vec::new();
    if money.is_negative() {
        words.push("minus");
    }
    if zloty == 0 {
        words.push("zero");
    }
    let mut rest = zloty;
    for (scale, forms) in &SCALES {
        let count = rest / scale;
        rest %= scale;
        if count == 0 {
            continue;
        }
        if count > 1 {
            push_below_thousand(&mut words, count);
        }
        words.push(forms.for_count(count));
    }
    push_below_thousand(&mut words, rest);
    words.push(ZLOTY.for_count(zloty));
    format!("{} {:02}/100", words.join(" "), grosze % 100)
}

/// Words for 1..=999; nothing for 0.
fn push_below_thousand(words: &mut Vec<&'static str>, n: u64) {
    // Each index below is a single decimal digit (n < 1000), so it fits the ten-entry tables.
    let digit = |x: u64| (x % 10) as usize;
    let (hundreds, tens, units) = (digit(n / 100), digit(n / 10), digit(n));
    let mut push = |word: &'static str| {
        if !word.is_empty() {
            words.push(word);
        }
    };
    push(HUNDREDS[hundreds]);
    if tens == 1 {
        push(TEENS[units]);
    } else {
        push(TENS[tens]);
        push(UNITS[units]);
    }
}

#[cfg(test)]
mod tests;
