//! The "Audit log" view's model: the AEV findings of an audit log, who accessed which Secrets,
//! and a timeline of that access per user (`secrets-guard audit-log`, as a page).
//!
//! [`analyse`] runs in the background worker ([`crate::worker`], feature `worker`): the log goes
//! through the core's `audit_events::Analyzer` exactly as the CLI streams a file into it, and
//! once more through its `EventReader` to place each Secret access in time. The page's main
//! module only renders the resulting [`AuditView`].

use serde::{Deserialize, Serialize};

/// One AEV finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// `AEV-001` …
    pub rule: String,
    pub title: String,
    /// `critical`, `high`, `medium`, `low`, `info`.
    pub severity: String,
    /// The 1-based line of the event in the pasted log.
    pub line: u64,
    pub user: String,
    /// The event's `requestReceivedTimestamp`.
    pub time: Option<String>,
    pub message: String,
}

/// One row of the access summary: a user's requests with one verb on one Secret, with one
/// outcome (the CLI's `Secret access` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// The user (`alice as bob` with impersonation).
    pub user: String,
    pub verb: String,
    /// `namespace/name`, `namespace/*` (a list) or `*` (cluster-wide).
    pub secret: String,
    /// `responseStatus.code`.
    pub code: Option<i64>,
    pub count: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// A line that is not an audit Event (it is skipped; the others are still analysed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Malformed {
    pub line: u64,
    pub message: String,
}

/// One user's lane of the timeline: Secret requests per time bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// The user, as in [`Access::user`].
    pub user: String,
    /// Requests answered with a status below 400 (or none recorded), per bucket.
    pub ok: Vec<u32>,
    /// Requests refused or failed (status 400 and above), per bucket.
    pub refused: Vec<u32>,
    /// All the user's Secret requests, including those without a readable time.
    pub total: u64,
    /// Requests whose `requestReceivedTimestamp` is missing or unreadable (not in a bucket).
    pub untimed: u64,
}

/// Secret access over time: one lane per user, the same buckets for all.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Timeline {
    /// The earliest and the latest request time, as the log wrote them.
    pub start: Option<String>,
    pub end: Option<String>,
    /// Where the first bucket starts (µs since the Unix epoch, a multiple of the width).
    pub origin_micros: i64,
    /// The width of a bucket, in microseconds: one of [`BUCKET_SECONDS`].
    pub bucket_micros: i64,
    /// Lanes sorted by user.
    pub lanes: Vec<Lane>,
}

impl Timeline {
    /// The number of buckets.
    pub fn buckets(&self) -> usize {
        self.lanes.first().map_or(0, |l| l.ok.len())
    }
}

/// The whole view.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditView {
    /// Events read.
    pub events: u64,
    /// Findings in log order.
    pub findings: Vec<Finding>,
    /// Sorted by user, Secret, verb, code.
    pub access: Vec<Access>,
    /// The malformed lines kept (the first thousand).
    pub malformed: Vec<Malformed>,
    /// All malformed lines.
    pub malformed_total: u64,
    pub timeline: Timeline,
}

/// At most this many buckets in a timeline.
pub const MAX_BUCKETS: i64 = 24;

/// The widths a bucket may have, in seconds: the smallest that fits the log in
/// [`MAX_BUCKETS`] is taken (a second up to four weeks; longer logs get wider buckets still).
pub const BUCKET_SECONDS: [i64; 20] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    604800, 2419200,
];

const MICROS: i64 = 1_000_000;

/// A request's place in time: the user, the time (µs, as written), and whether it was refused.
pub type Point = (String, Option<(i64, String)>, bool);

/// Lanes of `points`, in buckets of a round width aligned on multiples of it (UTC), from the
/// bucket of the first time to that of the last.
pub fn timeline(points: Vec<Point>) -> Timeline {
    let times = points.iter().filter_map(|(_, t, _)| t.as_ref());
    let first = times.clone().min_by_key(|(t, _)| *t);
    let last = times.max_by_key(|(t, _)| *t);
    let (buckets, width, origin) = match (first, last) {
        (Some((a, _)), Some((b, _))) => {
            let fits = |w: i64| b.div_euclid(w) - a.div_euclid(w) < MAX_BUCKETS;
            let mut width = BUCKET_SECONDS
                .iter()
                .map(|s| s * MICROS)
                .find(|&w| fits(w))
                .unwrap_or(BUCKET_SECONDS[BUCKET_SECONDS.len() - 1] * MICROS);
            while !fits(width) {
                width = width.saturating_mul(2);
            }
            let n = b.div_euclid(width) - a.div_euclid(width) + 1;
            (n as usize, width, a.div_euclid(width) * width)
        }
        _ => (0, 0, 0),
    };
    let mut lanes: std::collections::BTreeMap<String, Lane> = Default::default();
    for (user, time, refused) in &points {
        let lane = lanes.entry(user.clone()).or_insert_with(|| Lane {
            user: user.clone(),
            ok: vec![0; buckets],
            refused: vec![0; buckets],
            total: 0,
            untimed: 0,
        });
        lane.total += 1;
        match time {
            Some((t, _)) if buckets > 0 => {
                let i = (((t - origin) / width) as usize).min(buckets - 1);
                if *refused {
                    lane.refused[i] += 1;
                } else {
                    lane.ok[i] += 1;
                }
            }
            _ => lane.untimed += 1,
        }
    }
    Timeline {
        start: first.map(|(_, s)| s.clone()),
        end: last.map(|(_, s)| s.clone()),
        origin_micros: origin,
        bucket_micros: width,
        lanes: lanes.into_values().collect(),
    }
}

/// `HH:MM:SS` (UTC) of a time in µs since the Unix epoch: the timeline's tick labels.
pub fn clock(micros: i64) -> String {
    let s = micros.div_euclid(MICROS).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `30 s`, `5 min`, `1 h`, `1 d`: a bucket's width.
pub fn duration(micros: i64) -> String {
    let s = micros / MICROS;
    match s {
        _ if s % 86_400 == 0 && s > 0 => format!("{} d", s / 86_400),
        _ if s % 3600 == 0 && s > 0 => format!("{} h", s / 3600),
        _ if s % 60 == 0 && s > 0 => format!("{} min", s / 60),
        _ => format!("{s} s"),
    }
}

/// Analyse a pasted audit log (JSON lines or an EventList) like `secrets-guard audit-log`.
/// Only in the worker's build.
#[cfg(feature = "worker")]
pub fn analyse(text: &str) -> AuditView {
    use secrets_guard_core::audit_events::{Analyzer, EventReader, Item};

    let mut analyzer = Analyzer::default();
    analyzer.feed(text.as_bytes());
    let report = analyzer.finish();

    // The timeline: the Secret requests the access summary counts (final stage, core-group
    // `secrets`), each with its user as the summary names it and its time.
    let mut points: Vec<Point> = vec![];
    let mut take = |item: Item| {
        if let Item::Event(_, e) = item {
            if e.is_final_stage() && e.is_secrets() {
                let user = match &e.impersonated_user {
                    Some(u) => format!("{} as {}", e.user.username, u.username),
                    None => e.user.username.clone(),
                };
                let time = e.time_micros().zip(e.request_received_timestamp.clone());
                let refused = e.code().is_some_and(|c| c >= 400);
                points.push((user, time, refused));
            }
        }
    };
    let mut reader = EventReader::default();
    reader.feed(text.as_bytes(), &mut take);
    reader.finish(&mut take);

    AuditView {
        events: report.events,
        findings: report
            .findings
            .iter()
            .map(|f| Finding {
                rule: f.rule.to_string(),
                title: f.title.to_string(),
                severity: f.severity.to_string(),
                line: f.line,
                user: f.user.clone(),
                time: f.time.clone(),
                message: f.message.clone(),
            })
            .collect(),
        access: report
            .access
            .iter()
            .map(|a| Access {
                user: a.user.clone(),
                verb: a.verb.clone(),
                secret: a.secret.clone(),
                code: a.code,
                count: a.count,
                first: a.first.clone(),
                last: a.last.clone(),
            })
            .collect(),
        malformed: report
            .malformed
            .iter()
            .map(|m| Malformed {
                line: m.line,
                message: m.message.clone(),
            })
            .collect(),
        malformed_total: report.malformed_total,
        timeline: timeline(points),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = MICROS;

    fn at(user: &str, t: Option<i64>, refused: bool) -> Point {
        (user.to_string(), t.map(|t| (t, format!("t{t}"))), refused)
    }

    #[test]
    fn buckets_are_round_and_aligned() {
        // 10:00:00.1 to 10:07:00 (the incidents fixture's span): 30 s buckets from 10:00:00.
        let ten = 36_000 * S;
        let t = timeline(vec![
            at("b", Some(ten + S / 10), false),
            at("a", Some(ten + 420 * S), true),
            at("a", Some(ten + 185 * S), false),
            at("a", None, false),
        ]);
        assert_eq!(
            (t.start.as_deref(), t.end.as_deref()),
            (Some("t36000100000"), Some("t36420000000"))
        );
        assert_eq!((t.origin_micros, t.bucket_micros), (ten, 30 * S));
        assert_eq!(t.buckets(), 15);
        let a = &t.lanes[0];
        assert_eq!((a.user.as_str(), a.total, a.untimed), ("a", 3, 1));
        assert_eq!((a.ok[6], a.refused[14]), (1, 1));
        assert_eq!(a.ok.iter().sum::<u32>() + a.refused.iter().sum::<u32>(), 2);
        assert_eq!((t.lanes[1].user.as_str(), t.lanes[1].ok[0]), ("b", 1));
        assert_eq!(
            (clock(t.origin_micros), duration(t.bucket_micros)),
            ("10:00:00".into(), "30 s".into())
        );
    }

    #[test]
    fn long_logs_take_wider_buckets() {
        let t = timeline(vec![
            at("a", Some(0), false),
            at("a", Some(3 * 86_400 * S), false),
        ]);
        assert_eq!(
            (duration(t.bucket_micros), t.buckets()),
            ("6 h".to_string(), 13)
        );
        let t = timeline(vec![
            at("a", Some(0), false),
            at("a", Some(10_000 * 86_400 * S), false),
        ]);
        assert!(t.buckets() <= MAX_BUCKETS as usize && t.buckets() > 1);
        assert_eq!(t.lanes[0].ok.iter().sum::<u32>(), 2);
    }

    #[test]
    fn one_instant_is_one_bucket_and_no_time_is_none() {
        let t = timeline(vec![at("a", Some(5), false), at("a", Some(5), true)]);
        assert_eq!((t.buckets(), t.bucket_micros), (1, S));
        assert_eq!((t.lanes[0].ok[0], t.lanes[0].refused[0]), (1, 1));
        let t = timeline(vec![at("a", None, false)]);
        assert_eq!(t.buckets(), 0);
        assert_eq!((t.lanes[0].total, t.lanes[0].untimed), (1, 1));
        assert_eq!(timeline(vec![]), Timeline::default());
        assert_eq!(clock(-S), "23:59:59");
    }
}
