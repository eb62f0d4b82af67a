//! Plausible Polish people, companies and addresses for demo data. Deterministic for a given RNG
//! so a customer number always yields the same person.

use chrono::NaiveDate;
use rand::Rng;
use rand::seq::SliceRandom;

use crate::domain::{Nip, Pesel};

const MALE_FIRST_NAMES: &[&str] = &[
    "Jan",
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Michał",
    "Marcin",
    "Grzegorz",
    "Józef",
    "Łukasz",
    "Adam",
    "Zbigniew",
    "Jerzy",
    "Tadeusz",
    "Mateusz",
    "Dariusz",
    "Mariusz",
    "Wojciech",
    "Ryszard",
    "Jakub",
    "Kamil",
    "Maciej",
    "Sławomir",
    "Bartłomiej",
];
const FEMALE_FIRST_NAMES: &[&str] = &[
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Magdalena",
    "Joanna",
    "Zofia",
    "Aleksandra",
    "Monika",
    "Teresa",
    "Danuta",
    "Natalia",
    "Karolina",
    "Marta",
    "Beata",
    "Dorota",
    "Halina",
    "Jadwiga",
    "Urszula",
    "Żaneta",
];
/// Masculine forms; feminine forms are derived by [`feminine_surname`].
const SURNAMES: &[&str] = &[
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Wojciechowski",
    "Krawczyk",
    "Kaczmarek",
    "Piotrowski",
    "Grabowski",
    "Zając",
    "Pawłowski",
    "Michalski",
    "Król",
    "Wieczorek",
    "Jabłoński",
    "Wróbel",
    "Nowakowski",
    "Majewski",
    "Olszewski",
    "Stępień",
    "Malinowski",
    "Jaworski",
    "Adamczyk",
    "Dudek",
    "Nowicki",
    "Pawlak",
    "Górski",
    "Witkowski",
    "Walczak",
    "Sikora",
    "Baran",
    "Rutkowski",
    "Michalak",
    "Szewczyk",
    "Ostrowski",
    "Tomaszewski",
    "Pietrzak",
    "Zalewski",
    "Wróblewski",
    "Łuczak",
    "Żak",
];
/// (city, postal code prefix for the town) of small and mid-size towns an ISP might serve.
const TOWNS: &[(&str, &str)] = &[
    ("Kalisz", "62-8"),
    ("Ostrów Wielkopolski", "63-4"),
    ("Pleszew", "63-3"),
    ("Jarocin", "63-2"),
    ("Krotoszyn", "63-7"),
    ("Sieradz", "98-2"),
    ("Turek", "62-7"),
    ("Koło", "62-6"),
    ("Konin", "62-5"),
    ("Września", "62-3"),
];
const STREETS: &[&str] = &[
    "ul. Kwiatowa",
    "ul. Polna",
    "ul. Leśna",
    "ul. Słoneczna",
    "ul. Krótka",
    "ul. Szkolna",
    "ul. Ogrodowa",
    "ul. Lipowa",
    "ul. Łąkowa",
    "ul. Brzozowa",
    "ul. Kościuszki",
    "ul. Mickiewicza",
    "ul. Sienkiewicza",
    "ul. Słowackiego",
    "ul. Żeromskiego",
    "ul. Piłsudskiego",
    "ul. Reymonta",
    "ul. Górna",
    "ul. Ogińskiego",
    "al. Wolności",
    "ul. Śródmiejska",
    "ul. Częstochowska",
    "os. Dobrzec",
    "os. Asnyka",
    "ul. Źródlana",
];
const COMPANY_TRADES: &[&str] = &[
    "Usługi Remontowe",
    "Transport",
    "Piekarnia",
    "Kancelaria Rachunkowa",
    "Serwis Komputerowy",
    "Gabinet Stomatologiczny",
    "Sklep Spożywczy",
    "Hurtownia Budowlana",
    "Studio Fotografii",
    "Pracownia Architektoniczna",
];

#[derive(Debug, Clone)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub pesel: Pesel,
}

#[derive(Debug, Clone)]
pub struct Address {
    pub line: String,
    pub postal_code: String,
    pub city: String,
}

pub fn random_person(rng: &mut impl Rng) -> Person {
    let female = rng.gen_bool(0.5);
    let first_names = if female {
        FEMALE_FIRST_NAMES
    } else {
        MALE_FIRST_NAMES
    };
    let first_name = pick(rng, first_names);
    let surname = pick(rng, SURNAMES);
    let last_name = if female {
        feminine_surname(surname)
    } else {
        surname.to_owned()
    };
    Person {
        first_name: first_name.to_owned(),
        last_name,
        pesel: random_pesel(rng, female),
    }
}

/// A valid PESEL for an adult born 1940–2006 whose 10th digit matches the sex.
fn random_pesel(rng: &mut impl Rng, female: bool) -> Pesel {
    loop {
        let year = rng.gen_range(1940..=2006);
        let Some(birth) =
            NaiveDate::from_ymd_opt(year, rng.gen_range(1..=12), rng.gen_range(1..=28))
        else {
            continue;
        };
        let sex_digit: u16 = if female {
            rng.gen_range(0..5) * 2
        } else {
            rng.gen_range(0..5) * 2 + 1
        };
        let serial = rng.gen_range(0..1000u16) * 10 + sex_digit;
        if let Some(pesel) = Pesel::from_birth_date_and_serial(birth, serial) {
            return pesel;
        }
    }
}

/// Kowalski → Kowalska, Zieliński → Zielińska, Nowak → Nowak.
pub fn feminine_surname(surname: &str) -> String {
    for (masculine, feminine) in [("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")] {
        if let Some(stem) = surname.strip_suffix(masculine) {
            return format!("{stem}{feminine}");
        }
    }
    surname.to_owned()
}

pub fn random_address(rng: &mut impl Rng) -> Address {
    let (city, postal_prefix) = *TOWNS.choose(rng).unwrap_or(&TOWNS[0]);
    let street = pick(rng, STREETS);
    let building = rng.gen_range(1..=120);
    let line = if rng.gen_bool(0.4) {
        format!("{street} {building}/{}", rng.gen_range(1..=40))
    } else {
        format!("{street} {building}")
    };
    Address {
        line,
        postal_code: format!("{postal_prefix}{:02}", rng.gen_range(0..100)),
        city: city.to_owned(),
    }
}

pub fn random_company(rng: &mut impl Rng, owner: &Person) -> (String, Nip) {
    let name = match rng.gen_range(0..3) {
        0 => format!(
            "{} {} {}",
            pick(rng, COMPANY_TRADES),
            owner.first_name,
            owner.last_name
        ),
        1 => format!("{} Sp. z o.o.", pick(rng, SURNAMES)),
        _ => format!("{} i Wspólnicy Sp. j.", owner.last_name),
    };
    (name, random_nip(rng))
}

fn random_nip(rng: &mut impl Rng) -> Nip {
    loop {
        let first_nine = format!(
            "{}{:08}",
            rng.gen_range(1..=9),
            rng.gen_range(0..100_000_000u32)
        );
        if let Some(nip) = Nip::from_first_nine(&first_nine) {
            return nip;
        }
    }
}

/// An address under the reserved `example.com` domain: demo mail must never reach a real person.
pub fn email_for(first_name: &str, last_name: &str, customer_number: i64) -> String {
    format!(
        "{}.{}.{customer_number}@example.com",
        ascii_lower(first_name),
        ascii_lower(last_name)
    )
}

pub fn random_phone(rng: &mut impl Rng) -> String {
    format!(
        "+48 {} {:03} {:03}",
        rng.gen_range(500..=889),
        rng.gen_range(0..1000),
        rng.gen_range(0..1000)
    )
}

fn ascii_lower(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ą' | 'Ą' => 'a',
            'ć' | 'Ć' => 'c',
            'ę' | 'Ę' => 'e',
            'ł' | 'Ł' => 'l',
            'ń' | 'Ń' => 'n',
            'ó' | 'Ó' => 'o',
            'ś' | 'Ś' => 's',
            'ź' | 'Ź' | 'ż' | 'Ż' => 'z',
            other => other.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn pick<'a>(rng: &mut impl Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn feminine_forms_follow_polish_surname_rules() {
        assert_eq!(feminine_surname("Kowalski"), "Kowalska");
        assert_eq!(feminine_surname("Zieliński"), "Zielińska");
        assert_eq!(feminine_surname("Nowicki"), "Nowicka");
        assert_eq!(feminine_surname("Nowak"), "Nowak");
    }

    #[test]
    fn generated_identities_are_valid_and_repeatable() {
        for seed in 0..200 {
            let person = random_person(&mut StdRng::seed_from_u64(seed));
            let again = random_person(&mut StdRng::seed_from_u64(seed));
            assert_eq!(person.pesel, again.pesel);
            assert!(Pesel::parse(person.pesel.as_str()).is_ok());
            let female = FEMALE_FIRST_NAMES.contains(&person.first_name.as_str());
            assert_eq!(person.pesel.is_female(), female, "{}", person.first_name);
            let (_, nip) = random_company(&mut StdRng::seed_from_u64(seed), &person);
            assert!(Nip::parse(nip.as_str()).is_ok());
        }
    }

    #[test]
    fn emails_are_ascii_and_under_example_com() {
        assert_eq!(email_for("Łukasz", "Żółć", 7), "lukasz.zolc.7@example.com");
    }
}
