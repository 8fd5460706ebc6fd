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

/// One gap between the log and the editor's audit Policy (the CLI's cross-check table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// `not-logged`, `stage-omitted`, `no-body`, `leak`, `level-differs`.
    pub kind: String,
    /// `verb resource[/subresource]`.
    pub request: String,
    /// The deciding rule of the Policy (`rules[i]`), if one matches.
    pub policy_rule: Option<usize>,
    /// The level the Policy gives, and the one the (first) event was recorded at.
    pub policy_level: String,
    pub logged_level: String,
    pub count: u64,
    /// The line of the first event of the gap.
    pub line: u64,
    /// The AEV rules that fired on these events and that the Policy would hide.
    pub hides: Vec<String>,
    pub message: String,
}

/// The log cross-checked against the editor's audit Policy (AEV-010).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PolicyCheck {
    /// Final-stage events checked.
    pub events: u64,
    /// How many the Policy logs at each level, `None` to `RequestResponse` (levels with none
    /// left out).
    pub levels: Vec<(String, u64)>,
    pub gaps: Vec<Gap>,
    /// Events of further gaps, counted only.
    pub gaps_not_kept: u64,
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
    /// The cross-check, when the editor's documents hold an audit Policy and were given.
    pub policy: Option<PolicyCheck>,
    /// How many audit Policies the editor's documents hold (only the first is used).
    pub policies: usize,
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

/// Analyse a pasted audit log (JSON lines or an EventList) like `secrets-guard audit-log`;
/// with `manifests` (the editor's documents), as `secrets-guard audit-log --policy`: their
/// audit Policy is cross-checked against every event (AEV-010) and their workloads tell which
/// Pods consume Secrets (AEV-008). Only in the worker's build.
#[cfg(feature = "worker")]
pub fn analyse(text: &str, manifests: Option<&str>) -> AuditView {
    use secrets_guard_core::audit_events::{
        Analyzer, AuditContext, AuditSettings, EventReader, Item,
    };

    let context = match manifests {
        Some(m) => AuditContext::from_sources(&[(crate::engine::EDITOR_FILE, m)]),
        None => AuditContext::default(),
    };
    let policies = context.policy_count();
    let mut analyzer = Analyzer::with_context(AuditSettings::default(), context);
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
        policy: report.policy_check.as_ref().map(|c| PolicyCheck {
            events: c.events,
            levels: ["None", "Metadata", "Request", "RequestResponse"]
                .iter()
                .filter_map(|l| c.levels.get(l).map(|n| (l.to_string(), *n)))
                .collect(),
            gaps: c
                .gaps
                .iter()
                .map(|g| Gap {
                    kind: g.kind.as_str().to_string(),
                    request: g.request.clone(),
                    policy_rule: g.policy_rule,
                    policy_level: g.policy_level.to_string(),
                    logged_level: g.logged_level.clone(),
                    count: g.count,
                    line: g.line,
                    hides: g.hides.iter().map(|h| h.to_string()).collect(),
                    message: g.message.clone(),
                })
                .collect(),
            gaps_not_kept: c.gaps_not_kept,
        }),
        policies,
    }
}

/// `1 event`, `2 events`.
pub fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The CLI's last line: `19 events, 8 findings (2 critical, 3 high, 3 medium), 2 malformed lines`.
pub fn summary(view: &AuditView) -> String {
    let counts: Vec<String> = ["critical", "high", "medium", "low", "info"]
        .iter()
        .filter_map(|s| {
            let n = view.findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    format!(
        "{}, {}{}, {}",
        plural(view.events, "event"),
        plural(view.findings.len() as u64, "finding"),
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        },
        plural(view.malformed_total, "malformed line")
    )
}

/// The results as markup the page renders ([`crate::markup::render`]): the summary line, the
/// findings, the skipped lines, the Policy cross-check, the timeline and the access summary.
/// Only in the worker's build (the page's bundle has no room for it).
#[cfg(feature = "worker")]
pub fn markup(view: &AuditView) -> crate::markup::Node {
    use crate::markup::el;

    let section = |id: &str, title: &str| {
        el("section")
            .attr("aria-labelledby", id)
            .child(el("h3").attr("id", id).text(title))
    };
    let mut out = el("div").class("audit-results").child(
        el("p")
            .class("audit-summary")
            .testid("audit-summary")
            .attr("role", "status")
            .text(summary(view)),
    );
    if !view.findings.is_empty() {
        let items = view.findings.iter().map(|f| {
            el("li")
                .class(format!("audit-finding sev-{}", f.severity))
                .testid("audit-finding")
                .attr("data-rule", &f.rule)
                .attr("data-line", f.line)
                .attr("data-severity", &f.severity)
                .child(
                    el("span")
                        .class("audit-where")
                        .text(format!("line {}", f.line)),
                )
                .child(
                    el("span")
                        .class(format!("sev-badge sev-{}", f.severity))
                        .text(&f.severity),
                )
                .child(el("span").class("audit-rule").text(&f.rule))
                .child(el("span").class("audit-title").text(&f.title))
                .child(el("span").class("audit-message").text(&f.message))
        });
        out = out.child(
            section("audit-findings-title", "Findings").child(
                el("ul")
                    .class("audit-findings")
                    .testid("audit-findings")
                    .children(items),
            ),
        );
    }
    if !view.malformed.is_empty() {
        let items = view.malformed.iter().map(|m| {
            el("li")
                .testid("audit-malformed")
                .attr("data-line", m.line)
                .text(format!("line {}: {}", m.line, m.message))
        });
        let mut s = section("audit-malformed-title", "Skipped lines")
            .child(el("ul").class("audit-malformed").children(items));
        let more = view.malformed_total - view.malformed.len() as u64;
        if more > 0 {
            s = s.child(el("p").text(format!("and {} more", plural(more, "malformed line"))));
        }
        out = out.child(s);
    }
    if let Some(check) = &view.policy {
        out = out.child(policy_markup(check, view.policies));
    }
    out = out.child(
        section("audit-timeline-title", "Secret access over time")
            .child(timeline_markup(&view.timeline)),
    );
    if !view.access.is_empty() {
        let head = ["User", "Verb", "Secret", "Code", "Count", "First", "Last"]
            .map(|h| el("th").attr("scope", "col").text(h));
        let rows = view.access.iter().map(|a| {
            let dash = || "-".to_string();
            el("tr")
                .testid("audit-access-row")
                .attr("data-user", &a.user)
                .child(el("td").text(&a.user))
                .child(el("td").text(&a.verb))
                .child(el("td").text(&a.secret))
                .child(
                    el("td")
                        .class(if a.code.is_some_and(|c| c >= 400) {
                            "refused"
                        } else {
                            ""
                        })
                        .text(a.code.map_or_else(dash, |c| c.to_string())),
                )
                .child(el("td").class("num").text(a.count.to_string()))
                .child(el("td").text(a.first.clone().unwrap_or_else(dash)))
                .child(el("td").text(a.last.clone().unwrap_or_else(dash)))
        });
        out = out.child(
            section("audit-access-title", "Who accessed which Secrets").child(
                el("div").class("audit-scroll").child(
                    el("table")
                        .class("audit-access")
                        .testid("audit-access")
                        .child(el("thead").child(el("tr").children(head)))
                        .child(el("tbody").children(rows)),
                ),
            ),
        );
    }
    out.into()
}

/// The cross-check against the editor's audit Policy: its levels, then one row per gap (the
/// CLI's table).
#[cfg(feature = "worker")]
fn policy_markup(check: &PolicyCheck, policies: usize) -> crate::markup::El {
    use crate::markup::el;

    let levels: Vec<String> = check
        .levels
        .iter()
        .map(|(l, n)| format!("{n} {l}"))
        .collect();
    let mut s = el("section")
        .class("audit-policy")
        .testid("audit-policy")
        .attr("aria-labelledby", "audit-policy-title")
        .child(
            el("h3")
                .attr("id", "audit-policy-title")
                .text("The editor's audit Policy"),
        )
        .child(el("p").testid("audit-policy-levels").text(format!(
            "Of {}, it logs {}.{}",
            plural(check.events, "event"),
            if levels.is_empty() {
                "none".to_string()
            } else {
                levels.join(", ")
            },
            if policies > 1 {
                format!(" (The first of the editor's {policies} Policies.)")
            } else {
                String::new()
            }
        )));
    if check.gaps.is_empty() {
        return s.child(el("p").text("No gaps: the log is what the Policy would write."));
    }
    let head = [
        "Gap", "Request", "Rule", "Level", "Logged", "Count", "First", "Hides",
    ]
    .map(|h| el("th").attr("scope", "col").text(h));
    let rows = check.gaps.iter().map(|g| {
        el("tr")
            .testid("audit-gap")
            .attr("data-kind", &g.kind)
            .attr("data-line", g.line)
            .attr("aria-label", &g.message)
            .child(el("td").text(&g.kind))
            .child(el("td").text(&g.request))
            .child(
                el("td").text(
                    g.policy_rule
                        .map_or_else(|| "-".to_string(), |i| format!("rules[{i}]")),
                ),
            )
            .child(el("td").text(&g.policy_level))
            .child(el("td").text(&g.logged_level))
            .child(el("td").class("num").text(g.count.to_string()))
            .child(el("td").text(format!("line {}", g.line)))
            .child(el("td").text(if g.hides.is_empty() {
                "-".to_string()
            } else {
                g.hides.join(", ")
            }))
    });
    s = s.child(
        el("div").class("audit-scroll").child(
            el("table")
                .class("audit-access audit-gaps")
                .child(el("thead").child(el("tr").children(head)))
                .child(el("tbody").children(rows)),
        ),
    );
    if check.gaps_not_kept > 0 {
        s = s.child(el("p").text(format!(
            "({} more in gaps not listed)",
            plural(check.gaps_not_kept, "event")
        )));
    }
    s
}

/// Geometry of the timeline, in SVG user units (the SVG scales to the pane's width).
#[cfg(feature = "worker")]
mod geometry {
    pub const WIDTH: f64 = 600.0;
    pub const LABEL_H: f64 = 14.0;
    pub const BAR_H: f64 = 22.0;
    pub const LANE_GAP: f64 = 8.0;
    pub const AXIS_H: f64 = 16.0;
}

/// One lane per user: stacked bars per bucket, succeeded below, refused on top.
#[cfg(feature = "worker")]
fn timeline_markup(t: &Timeline) -> crate::markup::El {
    use crate::markup::el;
    use geometry::*;

    if t.lanes.is_empty() {
        return el("p")
            .class("audit-empty")
            .testid("audit-timeline-empty")
            .text("No Secret access in the log.");
    }
    let n = t.buckets();
    let peak = t
        .lanes
        .iter()
        .flat_map(|l| l.ok.iter().zip(&l.refused).map(|(a, b)| a + b))
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = if n == 0 { WIDTH } else { WIDTH / n as f64 };
    let lane_h = LABEL_H + BAR_H + LANE_GAP;
    let height = t.lanes.len() as f64 * lane_h + AXIS_H;
    let bucket_label = |i: usize| {
        let start = t.origin_micros + i as i64 * t.bucket_micros;
        format!("{}\u{2013}{}", clock(start), clock(start + t.bucket_micros))
    };
    let lanes = t.lanes.iter().enumerate().map(|(li, lane)| {
        let top = li as f64 * lane_h;
        let base = top + LABEL_H + BAR_H;
        let bars = (0..n)
            .filter(|&i| lane.ok[i] + lane.refused[i] > 0)
            .map(|i| {
                let x = i as f64 * slot + 1.0;
                let w = (slot - 2.0).max(1.0);
                let ok_h = BAR_H * f64::from(lane.ok[i]) / f64::from(peak);
                let ref_h = BAR_H * f64::from(lane.refused[i]) / f64::from(peak);
                let mut g = el("g")
                    .class("bucket")
                    .testid("timeline-bucket")
                    .attr("data-index", i)
                    .attr("data-ok", lane.ok[i])
                    .attr("data-refused", lane.refused[i])
                    .child(el("title").text(format!(
                        "{} UTC: {} succeeded, {} refused",
                        bucket_label(i),
                        lane.ok[i],
                        lane.refused[i]
                    )));
                if lane.ok[i] > 0 {
                    g = g.child(
                        el("rect")
                            .class("ok")
                            .attr("x", format!("{x:.1}"))
                            .attr("y", format!("{:.1}", base - ok_h))
                            .attr("width", format!("{w:.1}"))
                            .attr("height", format!("{ok_h:.1}")),
                    );
                }
                if lane.refused[i] > 0 {
                    g = g.child(
                        el("rect")
                            .class("refused")
                            .attr("x", format!("{x:.1}"))
                            .attr("y", format!("{:.1}", base - ok_h - ref_h))
                            .attr("width", format!("{w:.1}"))
                            .attr("height", format!("{ref_h:.1}")),
                    );
                }
                g
            });
        let untimed = if lane.untimed > 0 {
            format!(", {} without a time", lane.untimed)
        } else {
            String::new()
        };
        el("g")
            .class("lane")
            .testid("timeline-lane")
            .attr("data-user", &lane.user)
            .attr("data-total", lane.total)
            .child(
                el("text")
                    .class("lane-label")
                    .attr("x", "0")
                    .attr("y", format!("{:.1}", top + LABEL_H - 3.0))
                    .text(format!(
                        "{} ({}{untimed})",
                        lane.user,
                        plural(lane.total, "request")
                    )),
            )
            .child(
                el("line")
                    .class("baseline")
                    .attr("x1", "0")
                    .attr("x2", format!("{WIDTH:.0}"))
                    .attr("y1", format!("{base:.1}"))
                    .attr("y2", format!("{base:.1}")),
            )
            .children(bars)
    });
    let axis_y = format!("{:.1}", height - 3.0);
    let mut svg = el("svg")
        .class("audit-timeline")
        .testid("audit-timeline")
        .attr("role", "img")
        .attr("aria-label", "Secret requests per user over time")
        .attr("viewBox", format!("0 0 {WIDTH:.0} {height:.0}"))
        .attr("preserveAspectRatio", "xMinYMin meet")
        .children(lanes);
    if n > 0 {
        svg = svg.child(
            el("g")
                .class("axis")
                .child(
                    el("text")
                        .attr("x", "0")
                        .attr("y", &axis_y)
                        .text(clock(t.origin_micros)),
                )
                .child(
                    el("text")
                        .class("end")
                        .attr("x", format!("{WIDTH:.0}"))
                        .attr("y", &axis_y)
                        .text(clock(t.origin_micros + n as i64 * t.bucket_micros)),
                ),
        );
    }
    let caption = match (&t.start, &t.end) {
        (Some(a), Some(b)) => format!(
            "From {a} to {b}; each bar is {} (UTC); refused requests (status 400 and above) are stacked on top.",
            duration(t.bucket_micros)
        ),
        _ => "No request has a readable time.".to_string(),
    };
    el("figure")
        .class("audit-timeline-figure")
        .child(svg)
        .child(
            el("figcaption")
                .child(el("span").class("swatch ok").attr("aria-hidden", "true"))
                .text(" succeeded ")
                .child(
                    el("span")
                        .class("swatch refused")
                        .attr("aria-hidden", "true"),
                )
                .text(" refused. ")
                .text(caption),
        )
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

    #[test]
    fn summary_reads_like_the_cli() {
        let f = |sev: &str| Finding {
            rule: "AEV-001".into(),
            title: String::new(),
            severity: sev.into(),
            line: 1,
            user: String::new(),
            time: None,
            message: String::new(),
        };
        let view = AuditView {
            events: 19,
            findings: vec![f("high"), f("critical"), f("medium"), f("critical")],
            malformed_total: 2,
            ..AuditView::default()
        };
        assert_eq!(
            summary(&view),
            "19 events, 4 findings (2 critical, 1 high, 1 medium), 2 malformed lines"
        );
        let one = AuditView {
            events: 1,
            ..AuditView::default()
        };
        assert_eq!(summary(&one), "1 event, 0 findings, 0 malformed lines");
    }
}
