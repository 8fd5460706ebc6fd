//! `audit.k8s.io/v1` Events and a streaming reader for them.
//!
//! Two encodings are read:
//! - **JSON lines**, as the log backend (`--audit-log-path`) writes them: one `Event` per line.
//!   A line may also hold a whole compact `EventList` (what the webhook backend POSTs).
//! - A **pretty-printed `EventList`** document (a saved webhook body): when the first non-blank
//!   line opens a JSON object that does not close on that line, the rest of the input is taken
//!   as one document (up to [`ReaderLimits::max_document_bytes`]) and each of its `items` is
//!   reported with the line it starts on.
//!
//! The reader is fed chunks of bytes ([`EventReader::feed`]) and keeps only the current
//! unfinished line, so memory stays bounded by the longest line. A line that is not a valid
//! Event is reported as a [`Malformed`] item with its line number and reading goes on.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// The `user` / `impersonatedUser` of an Event (`authentication.k8s.io/v1` UserInfo).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct UserInfo {
    /// The user name, e.g. `jane`, `system:serviceaccount:app:api`, `system:anonymous`.
    pub username: String,
    /// The groups the user belongs to.
    pub groups: Vec<String>,
}

/// The object an Event is about (`objectRef`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EventObjectRef {
    /// The resource, e.g. `secrets`.
    pub resource: String,
    /// The namespace; empty for cluster-scoped requests and cluster-wide lists.
    pub namespace: String,
    /// The object name; empty for lists and creates by `generateName`.
    pub name: String,
    /// The subresource, e.g. `token` for `serviceaccounts/token`.
    pub subresource: String,
    /// The API group; empty for the core group.
    pub api_group: String,
}

/// `responseStatus` (a `meta/v1` Status): only the code is needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ResponseStatus {
    /// The HTTP status code of the response, if recorded.
    pub code: Option<i64>,
}

/// One audit Event, with the fields the AEV analyses use.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Event {
    /// Always `Event` for a valid event.
    pub kind: String,
    /// Always `audit.k8s.io/v1` for a valid event.
    pub api_version: String,
    /// The request's unique id (shared by the stages of one request).
    #[serde(rename = "auditID")]
    pub audit_id: String,
    /// `RequestReceived`, `ResponseStarted`, `ResponseComplete` or `Panic`.
    pub stage: String,
    /// `Metadata`, `Request` or `RequestResponse`.
    pub level: String,
    /// The Kubernetes verb: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, …
    pub verb: String,
    /// The request URI (path and query), e.g. `/api/v1/namespaces/app/secrets/db`.
    #[serde(rename = "requestURI")]
    pub request_uri: String,
    /// The authenticated user.
    pub user: UserInfo,
    /// The user the request was made as, when impersonation was used.
    pub impersonated_user: Option<UserInfo>,
    /// The object of the request.
    pub object_ref: Option<EventObjectRef>,
    /// The response status.
    pub response_status: Option<ResponseStatus>,
    /// The request body (level Request or RequestResponse).
    pub request_object: Option<Value>,
    /// The response body (level RequestResponse).
    pub response_object: Option<Value>,
    /// When the request was received (RFC 3339, microseconds).
    pub request_received_timestamp: Option<String>,
    /// The client addresses.
    #[serde(rename = "sourceIPs")]
    pub source_ips: Vec<String>,
    /// The client's user agent.
    pub user_agent: Option<String>,
}

impl Event {
    /// `objectRef.resource`, or "" without an objectRef.
    pub fn resource(&self) -> &str {
        self.object_ref.as_ref().map_or("", |o| o.resource.as_str())
    }

    /// `objectRef.subresource`, or "".
    pub fn subresource(&self) -> &str {
        self.object_ref
            .as_ref()
            .map_or("", |o| o.subresource.as_str())
    }

    /// `objectRef.namespace`, or "".
    pub fn namespace(&self) -> &str {
        self.object_ref
            .as_ref()
            .map_or("", |o| o.namespace.as_str())
    }

    /// `objectRef.name`, or "".
    pub fn name(&self) -> &str {
        self.object_ref.as_ref().map_or("", |o| o.name.as_str())
    }

    /// Whether the event is about core-group Secrets (the resource itself, no subresource).
    pub fn is_secrets(&self) -> bool {
        self.object_ref
            .as_ref()
            .is_some_and(|o| o.resource == "secrets" && o.api_group.is_empty())
    }

    /// `responseStatus.code`, if recorded.
    pub fn code(&self) -> Option<i64> {
        self.response_status.as_ref().and_then(|s| s.code)
    }

    /// Whether this is the stage that carries the outcome (`ResponseComplete` or `Panic`).
    pub fn is_final_stage(&self) -> bool {
        matches!(self.stage.as_str(), "ResponseComplete" | "Panic")
    }

    /// `namespace/name` of the Secret, `namespace/*` for a namespaced list, `*` cluster-wide.
    pub fn secret_label(&self) -> String {
        match (self.namespace(), self.name()) {
            ("", "") => "*".to_string(),
            ("", name) => name.to_string(),
            (ns, "") => format!("{ns}/*"),
            (ns, name) => format!("{ns}/{name}"),
        }
    }

    /// `requestReceivedTimestamp` as microseconds since the Unix epoch, when it parses.
    pub fn time_micros(&self) -> Option<i64> {
        self.request_received_timestamp
            .as_deref()
            .and_then(parse_rfc3339_micros)
    }
}

/// A line (or EventList item) that is not a valid audit Event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// 1-based line number.
    pub line: u64,
    /// Why it was rejected.
    pub message: String,
}

/// What the reader produces: an Event with the line it was read from, or a malformed line.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A valid Event and its 1-based line number.
    Event(u64, Box<Event>),
    /// A line that could not be read as an Event.
    Malformed(Malformed),
}

/// Memory bounds of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderLimits {
    /// Longest line kept, in bytes; longer lines are reported as malformed and skipped.
    pub max_line_bytes: usize,
    /// Largest pretty-printed EventList document, in bytes.
    pub max_document_bytes: usize,
}

impl Default for ReaderLimits {
    fn default() -> Self {
        ReaderLimits {
            max_line_bytes: 16 << 20,
            max_document_bytes: 256 << 20,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Nothing but blank lines seen yet.
    Start,
    /// JSON lines.
    Lines,
    /// Inside a multi-line EventList that began on `start`.
    Document { start: u64 },
}

/// A streaming reader of audit Events. Feed it bytes with [`feed`](Self::feed), then call
/// [`finish`](Self::finish); items are passed to the callback as soon as their line is complete.
#[derive(Debug)]
pub struct EventReader {
    limits: ReaderLimits,
    buf: Vec<u8>,
    /// Number of the line being accumulated in `buf` (1-based).
    line: u64,
    /// The current line went over the limit: discard until its end.
    overflow: bool,
    mode: Mode,
    doc: Vec<u8>,
    doc_overflow: bool,
}

impl Default for EventReader {
    fn default() -> Self {
        Self::new(ReaderLimits::default())
    }
}

impl EventReader {
    /// A reader with these memory bounds.
    pub fn new(limits: ReaderLimits) -> Self {
        EventReader {
            limits,
            buf: Vec::new(),
            line: 1,
            overflow: false,
            mode: Mode::Start,
            doc: Vec::new(),
            doc_overflow: false,
        }
    }

    /// Read a chunk of input (any split, even inside a line or a UTF-8 character).
    pub fn feed(&mut self, chunk: &[u8], out: &mut impl FnMut(Item)) {
        let mut rest = chunk;
        while !rest.is_empty() {
            match rest.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.push(&rest[..i]);
                    rest = &rest[i + 1..];
                    self.end_line(out);
                }
                None => {
                    self.push(rest);
                    rest = &[];
                }
            }
        }
    }

    /// End of input: read the last line (if it had no newline) and any open document.
    pub fn finish(mut self, out: &mut impl FnMut(Item)) {
        if !self.buf.is_empty() || self.overflow {
            self.end_line(out);
        }
        if let Mode::Document { start } = self.mode {
            self.end_document(start, out);
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.overflow {
            return;
        }
        if self.buf.len() + bytes.len() > self.limits.max_line_bytes {
            self.overflow = true;
            self.buf = Vec::new();
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }

    fn end_line(&mut self, out: &mut impl FnMut(Item)) {
        let line = self.line;
        self.line += 1;
        let bytes = std::mem::take(&mut self.buf);
        if std::mem::take(&mut self.overflow) {
            if let Mode::Document { .. } = self.mode {
                self.doc_overflow = true;
                return;
            }
            out(Item::Malformed(Malformed {
                line,
                message: format!("line longer than {} bytes", self.limits.max_line_bytes),
            }));
            return;
        }
        if let Mode::Document { .. } = self.mode {
            if self.doc.len() + bytes.len() + 1 > self.limits.max_document_bytes {
                self.doc_overflow = true;
                self.doc = Vec::new();
            } else if !self.doc_overflow {
                self.doc.extend_from_slice(&bytes);
                self.doc.push(b'\n');
            }
            return;
        }
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t.trim_end_matches('\r'),
            Err(e) => {
                self.mode = Mode::Lines;
                out(Item::Malformed(Malformed {
                    line,
                    message: format!("invalid UTF-8: {e}"),
                }));
                return;
            }
        };
        if text.trim().is_empty() {
            return;
        }
        if self.mode == Mode::Start {
            // A pretty-printed document opens with a lone `{` (or a compact EventList head
            // cut by a newline); a truncated compact Event on the first line stays a line.
            let t = text.trim();
            let opens_document = t == "{"
                || (t.starts_with('{')
                    && t.contains("\"EventList\"")
                    && serde_json::from_str::<&RawValue>(t)
                        .err()
                        .is_some_and(|e| e.is_eof()));
            if opens_document {
                self.mode = Mode::Document { start: line };
                self.doc.extend_from_slice(text.as_bytes());
                self.doc.push(b'\n');
                return;
            }
            self.mode = Mode::Lines;
        }
        read_value(text, line, out);
    }

    fn end_document(&mut self, start: u64, out: &mut impl FnMut(Item)) {
        if self.doc_overflow {
            out(Item::Malformed(Malformed {
                line: start,
                message: format!(
                    "EventList document longer than {} bytes",
                    self.limits.max_document_bytes
                ),
            }));
            return;
        }
        let doc = std::mem::take(&mut self.doc);
        match std::str::from_utf8(&doc) {
            // Not one JSON document after all, and it did not open with a lone `{`: a cut
            // EventList line followed by JSON lines. Read them as lines.
            Ok(text)
                if serde_json::from_str::<&RawValue>(text).is_err()
                    && text.lines().next().is_some_and(|l| l.trim() != "{") =>
            {
                for (i, l) in (0u64..).zip(text.lines()) {
                    if !l.trim().is_empty() {
                        read_value(l.trim_end_matches('\r'), start + i, out);
                    }
                }
            }
            Ok(text) => read_value(text, start, out),
            Err(e) => out(Item::Malformed(Malformed {
                line: start,
                message: format!("invalid UTF-8: {e}"),
            })),
        }
    }
}

#[derive(Deserialize)]
struct Head<'a> {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default, rename = "apiVersion")]
    api_version: Option<String>,
    #[serde(default, borrow)]
    items: Option<Vec<&'a RawValue>>,
}

/// Read one JSON text (an Event or an EventList) that starts on line `start`.
fn read_value(text: &str, start: u64, out: &mut impl FnMut(Item)) {
    let head: Head = match serde_json::from_str(text) {
        Ok(h) => h,
        Err(e) => {
            out(Item::Malformed(Malformed {
                line: start + e.line().saturating_sub(1) as u64,
                message: format!("not valid JSON: {e}"),
            }));
            return;
        }
    };
    match head.kind.as_deref() {
        Some("EventList") => {
            if head.api_version.as_deref() != Some("audit.k8s.io/v1") {
                out(Item::Malformed(Malformed {
                    line: start,
                    message: format!(
                        "EventList of apiVersion `{}`, expected audit.k8s.io/v1",
                        head.api_version.as_deref().unwrap_or("")
                    ),
                }));
                return;
            }
            for raw in head.items.unwrap_or_default() {
                let line = start + lines_before(text, raw.get());
                read_event(raw.get(), line, true, out);
            }
        }
        _ => read_event(text, start, false, out),
    }
}

/// Newlines in `text` before `part`, a sub-slice of it (0 if it is not one).
fn lines_before(text: &str, part: &str) -> u64 {
    let offset = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    text.as_bytes()
        .get(..offset)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count() as u64)
}

fn read_event(text: &str, line: u64, in_list: bool, out: &mut impl FnMut(Item)) {
    let event: Event = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(e) => {
            out(Item::Malformed(Malformed {
                line: line + e.line().saturating_sub(1) as u64,
                message: format!("not an audit Event: {e}"),
            }));
            return;
        }
    };
    // EventList items may leave kind/apiVersion out (the list carries them).
    let kind_ok = event.kind == "Event" || (in_list && event.kind.is_empty());
    let version_ok =
        event.api_version == "audit.k8s.io/v1" || (in_list && event.api_version.is_empty());
    if !kind_ok || !version_ok {
        out(Item::Malformed(Malformed {
            line,
            message: format!(
                "not an audit.k8s.io/v1 Event (kind `{}`, apiVersion `{}`)",
                event.kind, event.api_version
            ),
        }));
        return;
    }
    out(Item::Event(line, Box::new(event)));
}

/// Whether the start of an input holds audit Events (JSON with `"kind": "Event"` or
/// `"EventList"`) rather than manifests (YAML, or JSON objects of other kinds such as an audit
/// `Policy` or a Pod). An empty or blank start counts as events (there is nothing to load).
pub fn looks_like_events(prefix: &[u8]) -> bool {
    let start = prefix.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return true;
    };
    if prefix[start] != b'{' {
        return false;
    }
    let skip_ws = |mut i: usize| {
        while prefix.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let key = b"\"kind\"";
    let mut i = start;
    while let Some(p) = prefix[i..].windows(key.len()).position(|w| w == key) {
        let mut j = skip_ws(i + p + key.len());
        if prefix.get(j) == Some(&b':') {
            j = skip_ws(j + 1);
            let rest = &prefix[j.min(prefix.len())..];
            if rest.starts_with(b"\"Event\"") || rest.starts_with(b"\"EventList\"") {
                return true;
            }
        }
        i += p + key.len();
    }
    false
}

/// Parse an RFC 3339 timestamp (`2026-11-27T15:00:00.123456Z`, or with a `±hh:mm` offset) to
/// microseconds since the Unix epoch.
pub fn parse_rfc3339_micros(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut frac: i64 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 6 {
                frac = frac * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        let digits = (i - start).min(6);
        if digits == 0 {
            return None;
        }
        frac *= 10_i64.pow((6 - digits) as u32);
    }
    let offset_secs = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            let v = num(i + 1..i + 3)? * 3600 + num(i + 4..i + 6)? * 60;
            if sign == b'+' {
                v
            } else {
                -v
            }
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm).
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_secs;
    Some(secs * 1_000_000 + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &str, chunk: usize) -> Vec<Item> {
        let mut items = Vec::new();
        let mut r = EventReader::default();
        for c in input.as_bytes().chunks(chunk.max(1)) {
            r.feed(c, &mut |i| items.push(i));
        }
        r.finish(&mut |i| items.push(i));
        items
    }

    fn lines(items: &[Item]) -> Vec<(u64, bool)> {
        items
            .iter()
            .map(|i| match i {
                Item::Event(l, _) => (*l, true),
                Item::Malformed(m) => (m.line, false),
            })
            .collect()
    }

    const EV: &str = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["dev"]},"objectRef":{"resource":"secrets","namespace":"app","name":"db","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00.000001Z","sourceIPs":["10.0.0.1"],"userAgent":"kubectl/v1.31.0"}"#;

    #[test]
    fn json_lines_in_any_chunking_with_malformed_lines_reported() {
        let input = format!("{EV}\n\nnot json\n{{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}}\n{EV}");
        for chunk in [1, 3, 7, 64, 4096] {
            let items = read_all(&input, chunk);
            assert_eq!(
                lines(&items),
                vec![(1, true), (3, false), (4, false), (5, true)],
                "chunk {chunk}"
            );
        }
        let items = read_all(EV, 5);
        let Item::Event(_, e) = &items[0] else {
            panic!("expected an event")
        };
        assert_eq!(e.audit_id, "a1");
        assert_eq!(e.user.username, "jane");
        assert_eq!(e.secret_label(), "app/db");
        assert_eq!(e.code(), Some(200));
        assert_eq!(e.source_ips, vec!["10.0.0.1"]);
        assert_eq!(e.time_micros(), Some(1_795_773_600_000_001));
    }

    #[test]
    fn compact_and_pretty_event_lists_give_item_lines() {
        let compact = format!(
            "{{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[{EV},{EV}]}}\n{EV}\n"
        );
        assert_eq!(
            lines(&read_all(&compact, 10)),
            vec![(1, true), (1, true), (2, true)]
        );
        let pretty = format!(
            "\n{{\n  \"kind\": \"EventList\",\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"items\": [\n    {EV},\n    {EV}\n  ]\n}}\n"
        );
        assert_eq!(lines(&read_all(&pretty, 4)), vec![(6, true), (7, true)]);
        let broken = "{\n  \"kind\": \"EventList\",\n  \"items\": [\n";
        assert_eq!(lines(&read_all(broken, 4)), vec![(4, false)]);
        // A log whose first line was cut stays a JSON-lines log.
        let cut = format!("{}\n{EV}\n", &EV[..40]);
        assert_eq!(lines(&read_all(&cut, 8)), vec![(1, false), (2, true)]);
        let cut_list = format!("{{\"kind\":\"EventList\",\"items\":[{}\n{EV}\n", &EV[..40]);
        assert_eq!(lines(&read_all(&cut_list, 8)), vec![(1, false), (2, true)]);
    }

    #[test]
    fn overlong_and_invalid_utf8_lines_are_skipped() {
        let mut r = EventReader::new(ReaderLimits {
            max_line_bytes: 64,
            max_document_bytes: 1024,
        });
        let mut items = Vec::new();
        let long = "x".repeat(200);
        r.feed(long.as_bytes(), &mut |i| items.push(i));
        r.feed(b"\n\xff\xfe\n", &mut |i| items.push(i));
        r.finish(&mut |i| items.push(i));
        assert_eq!(lines(&items), vec![(1, false), (2, false)]);
    }

    #[test]
    fn events_or_manifests() {
        assert!(looks_like_events(
            b"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"}"
        ));
        assert!(looks_like_events(
            b"\n{\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"kind\" : \"EventList\",\n"
        ));
        assert!(looks_like_events(b"  \n"));
        assert!(!looks_like_events(
            b"apiVersion: audit.k8s.io/v1\nkind: Policy\n"
        ));
        assert!(!looks_like_events(
            b"{\"kind\": \"Policy\", \"apiVersion\": \"audit.k8s.io/v1\"}"
        ));
        assert!(!looks_like_events(b"{\"kind\": \"EventRateLimit\"}"));
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_rfc3339_micros("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_micros("1970-01-01T01:00:00.5+01:00"),
            Some(500_000)
        );
        assert_eq!(
            parse_rfc3339_micros("2000-03-01T00:00:00Z"),
            Some(951_868_800_000_000)
        );
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00.Z",
            "é",
        ] {
            assert_eq!(parse_rfc3339_micros(bad), None, "{bad}");
        }
    }
}
