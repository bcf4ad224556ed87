//! Business hours: when a department's response clock runs. A target of
//! "2 business days" counts only the hours the teams work, in the
//! hospital's own time zone (daylight-saving changes included).

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use crate::config::{ConfigError, QueueConfig};

/// Days looked ahead for the end of a target before giving up (a year
/// with no business day at all is a configuration no one means).
const MAX_DAYS: usize = 400;

#[derive(Debug, Clone)]
pub struct BusinessHours {
    tz: TimeZone,
    /// Monday first.
    days: [bool; 7],
    opens: Time,
    closes: Time,
}

impl BusinessHours {
    pub fn from_config(config: &QueueConfig) -> Result<Self, ConfigError> {
        let invalid = |key, problem: &str| ConfigError::Value {
            key,
            problem: problem.to_owned(),
        };

        let tz = TimeZone::get(&config.timezone)
            .map_err(|_| invalid("queues.timezone", "is not a known IANA time zone"))?;
        let days = parse_days(&config.business_days).ok_or_else(|| {
            invalid(
                "queues.business_days",
                "must be day names such as mon-fri or mon,wed,fri",
            )
        })?;
        let opens = parse_time(&config.opens)
            .ok_or_else(|| invalid("queues.opens", "must be a time such as 08:00"))?;
        let closes = parse_time(&config.closes)
            .ok_or_else(|| invalid("queues.closes", "must be a time such as 17:00"))?;
        if closes <= opens {
            return Err(invalid("queues.closes", "must be later than queues.opens"));
        }
        Ok(Self {
            tz,
            days,
            opens,
            closes,
        })
    }

    /// Minutes in one business day.
    pub fn day_minutes(&self) -> i64 {
        let span = self.closes.duration_since(self.opens);
        span.as_secs() / 60
    }

    /// The moment `minutes` of business time have passed since `from_ms`.
    pub fn add_minutes(&self, from_ms: i64, minutes: i64) -> i64 {
        let Ok(start) = Timestamp::from_millisecond(from_ms) else {
            return from_ms;
        };
        let mut remaining_ms = minutes.max(0) * 60_000;
        let mut cursor = start;
        let mut date = start.to_zoned_datetime(self.tz.clone()).date();

        for _ in 0..MAX_DAYS {
            if self.days[weekday_index(date.weekday())]
                && let (Some(open), Some(close)) = (
                    self.moment(date, self.opens),
                    self.moment(date, self.closes),
                )
            {
                let begin = cursor.max(open);
                if begin < close {
                    let available = close.as_millisecond() - begin.as_millisecond();
                    if remaining_ms <= available {
                        return begin.as_millisecond() + remaining_ms;
                    }
                    remaining_ms -= available;
                }
            }
            let Ok(next) = date.tomorrow() else { break };
            date = next;
            if let Some(midnight) = self.moment(date, Time::midnight()) {
                cursor = cursor.max(midnight);
            }
        }
        from_ms
    }

    fn moment(&self, date: Date, time: Time) -> Option<Timestamp> {
        date.to_datetime(time)
            .to_zoned_datetime(self.tz.clone())
            .ok()
            .map(|zoned| zoned.timestamp())
    }
}

fn weekday_index(day: Weekday) -> usize {
    usize::try_from(day.to_monday_zero_offset()).unwrap_or(0)
}

fn day_index(name: &str) -> Option<usize> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let key = name.trim().to_ascii_lowercase();
    NAMES
        .iter()
        .position(|day| key.starts_with(day) && key.len() >= 3)
}

/// `mon-fri`, `mon,wed,fri`, `sun-thu` (a range may wrap past Sunday).
fn parse_days(text: &str) -> Option<[bool; 7]> {
    let mut days = [false; 7];
    for part in text.split(',').filter(|part| !part.trim().is_empty()) {
        match part.split_once('-') {
            Some((first, last)) => {
                let (mut day, last) = (day_index(first)?, day_index(last)?);
                loop {
                    days[day] = true;
                    if day == last {
                        break;
                    }
                    day = (day + 1) % 7;
                }
            }
            None => days[day_index(part)?] = true,
        }
    }
    days.iter().any(|&open| open).then_some(days)
}

fn parse_time(text: &str) -> Option<Time> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let (hours, minutes) = (hours.parse::<i8>().ok()?, minutes.parse::<i8>().ok()?);
    Time::new(hours, minutes, 0, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(timezone: &str) -> BusinessHours {
        BusinessHours::from_config(&QueueConfig {
            timezone: timezone.to_owned(),
            ..QueueConfig::default()
        })
        .unwrap()
    }

    fn ms(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn time_inside_one_business_day_adds_directly() {
        let due = hours("UTC").add_minutes(ms("2026-12-07T09:00:00Z"), 120);

        assert_eq!(due, ms("2026-12-07T11:00:00Z"));
    }

    #[test]
    fn friday_afternoon_runs_into_monday() {
        // Friday 16:00: one hour left on Friday, the other seven on Monday.
        let due = hours("UTC").add_minutes(ms("2026-12-04T16:00:00Z"), 8 * 60);

        assert_eq!(due, ms("2026-12-07T15:00:00Z"));
    }

    #[test]
    fn a_message_at_night_starts_counting_at_opening() {
        let due = hours("UTC").add_minutes(ms("2026-12-08T22:30:00Z"), 30);

        assert_eq!(due, ms("2026-12-09T08:30:00Z"));
    }

    #[test]
    fn business_hours_follow_the_local_clock() {
        // 08:00 in Chicago in December is 14:00 UTC.
        let due = hours("America/Chicago").add_minutes(ms("2026-12-07T12:00:00Z"), 60);

        assert_eq!(due, ms("2026-12-07T15:00:00Z"));
    }

    #[test]
    fn day_lists_and_ranges_parse() {
        assert_eq!(
            parse_days("mon-fri").unwrap(),
            [true, true, true, true, true, false, false]
        );
        assert_eq!(
            parse_days("sat-mon").unwrap(),
            [true, false, false, false, false, true, true]
        );
        assert_eq!(
            parse_days("tue, thu").unwrap(),
            [false, true, false, true, false, false, false]
        );
        assert!(parse_days("someday").is_none());
        assert!(parse_days("").is_none());
    }

    #[test]
    fn bad_settings_name_their_key() {
        let config = QueueConfig {
            closes: "07:00".to_owned(),
            ..QueueConfig::default()
        };

        let error = BusinessHours::from_config(&config).unwrap_err().to_string();

        assert!(error.contains("queues.closes"), "{error}");
    }
}
