//! Technician visits: pure rules. Where slots lie in a technician's working day (wall-clock
//! hours in Europe/Warsaw, instants in UTC), when a booking may be made, what a late
//! cancellation or a missed visit costs, and the calendar entry mailed to the subscriber.

pub mod calendar;
pub mod fees;
pub mod slots;
pub mod warsaw;

pub use fees::{FeeRule, LateRules};
pub use slots::{SLOT_MINUTES, Schedule, SlotProblem, WorkingHours};

crate::domain::words::stored_words!(
    /// What a visit is doing; stored in `visits.status`.
    VisitStatus {
        Booked = "booked",
        Done = "done",
        Missed = "missed",
        Cancelled = "cancelled",
    }
);

/// Whether a technician serving `area` (a town, or the start of a postcode such as "62-8")
/// covers an address. Towns compare without regard to case, as outages are targeted by town.
pub fn area_covers(area: &str, postal_code: &str, city: &str) -> bool {
    let area = area.trim();
    if area.is_empty() {
        return false;
    }
    if area.starts_with(|c: char| c.is_ascii_digit()) {
        return postal_code.trim().starts_with(area);
    }
    area.to_lowercase() == city.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_is_a_town_or_the_start_of_a_postcode() {
        assert!(area_covers("Kalisz", "62-800", "kalisz"));
        assert!(area_covers("62-8", "62-800", "Nowe Skalmierzyce"));
        assert!(!area_covers("62-9", "62-800", "Kalisz"));
        assert!(!area_covers("Poznań", "62-800", "Kalisz"));
        assert!(!area_covers(" ", "62-800", "Kalisz"));
    }

    #[test]
    fn statuses_read_back_as_written() {
        use crate::domain::StoredWord;
        for status in [
            VisitStatus::Booked,
            VisitStatus::Done,
            VisitStatus::Missed,
            VisitStatus::Cancelled,
        ] {
            assert_eq!(VisitStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(VisitStatus::parse("lost"), None);
    }
}
