//! The examples gallery: the seed article's three examples first (verbatim copies in
//! `examples/seed/`), then the playground's own in `web/examples/`.

/// One gallery entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// What the example shows (for the seed: what the article got wrong).
    pub note: &'static str,
    pub text: &'static str,
    /// The rule ids the example must raise (checked by a test, so no broken example ships).
    pub expected: &'static [&'static str],
}

pub const SEED: [Example; 3] = [
    Example {
        id: "seed-1-encryption-at-rest",
        title: "Seed 1: encryption at rest",
        note: "The article puts a KMS v1 provider first, leaves identity as a fallback and uses aescbc.",
        text: include_str!("../../examples/seed/1-encryption-at-rest.yaml"),
        expected: &[],
    },
    Example {
        id: "seed-2-access-control",
        title: "Seed 2: access control",
        note: "The article's Role grants create on secrets and names no resourceNames.",
        text: include_str!("../../examples/seed/2-access-control.yaml"),
        expected: &[],
    },
    Example {
        id: "seed-3-audit-logging",
        title: "Seed 3: audit logging",
        note: "The article's audit Policy logs Secrets at RequestResponse, writing their values to the log.",
        text: include_str!("../../examples/seed/3-audit-logging.yaml"),
        expected: &[],
    },
];

/// The starting document: the seed's three examples, one YAML stream.
pub fn seed_document() -> String {
    SEED.iter()
        .map(|e| e.text.trim_end())
        .collect::<Vec<_>>()
        .join("\n---\n")
}
