use super::model::EncConfig;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `kms` provider whose `endpoint` is missing, empty or not a `unix://` URL, e.g.
    /// `kms.example.com:12345` or `https://kms.example.com`.
    ///
    /// ## Why is this bad?
    /// The apiserver never talks to a remote KMS directly: it calls a local KMS plugin (a gRPC
    /// server on the control-plane host) over a UNIX domain socket, and the plugin talks to the
    /// KMS. The validator parses the endpoint as a URL and rejects any other scheme, so the
    /// apiserver does not start: `unsupported scheme "kms.example.com" for KMS provider, only unix
    /// is supported` (Go reads `kms.example.com:` in `kms.example.com:12345` as the scheme).
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - kms:
    ///       apiVersion: v2
    ///       name: my-kms-provider
    ///       endpoint: kms.example.com:12345
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - kms:
    ///       apiVersion: v2
    ///       name: my-kms-provider
    ///       endpoint: unix:///var/run/kms-provider.sock
    /// ```
    ///
    /// ## References
    /// - [Using a KMS provider for data encryption: Configuring the KMS provider](https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/#configuring-the-kms-provider-kms-v2)
    /// - kubernetes/apiserver `pkg/apis/apiserver/validation/validation_encryption.go` (`validateKMSEndpoint`)
    pub struct KmsEndpointNotUnix;
    id: "ENC-008",
    title: "KMS endpoint is not a unix:// socket",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Run the KMS plugin on each control-plane host and set `endpoint: unix:///path/to/plugin.sock`.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms:
          apiVersion: v2
          name: kms-plugin
          endpoint: unix:///var/run/kms-plugin.sock
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"kms": {"apiVersion": "v2", "name": "p", "endpoint": "UNIX:///@abstract-socket"}}]}]}
"#,
    ],
    fail: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - kms:
          name: my-kms-provider
          endpoint: kms.example.com:12345 # <-
          cachesize: 100
      - identity: {}
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: a, endpoint: "https://kms.example.com"} # <-
      - kms: # <-
          apiVersion: v2
          name: b
      - kms:
          apiVersion: v2
          name: c
          endpoint: /var/run/kms.sock # <-
      - kms:
          apiVersion: v2
          name: d
          endpoint: "10.0.0.1:443" # <-
"#,
    ],
}

/// Go's `url.Parse` scheme split (`getScheme`): `Ok(None)` when there is no scheme.
fn go_scheme(raw: &str) -> Result<Option<(&str, &str)>, &'static str> {
    for (i, c) in raw.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return Err("missing protocol scheme"),
            ':' => return Ok(Some((&raw[..i], &raw[i + 1..]))),
            _ => return Ok(None),
        }
    }
    Ok(None)
}

/// The validator's complaint about `endpoint`, if any.
pub(crate) fn endpoint_error(endpoint: &str) -> Option<String> {
    if endpoint.is_empty() {
        return Some("endpoint is a mandatory field for a kms".into());
    }
    if endpoint.chars().any(|c| c.is_ascii_control()) {
        return Some(
            "invalid endpoint for kms provider, error: net/url: invalid control character in URL"
                .into(),
        );
    }
    match go_scheme(endpoint) {
        Err(e) => Some(format!(
            "invalid endpoint for kms provider, error: parse {endpoint:?}: {e}"
        )),
        Ok(Some((scheme, _))) if scheme.eq_ignore_ascii_case("unix") => None,
        Ok(Some((scheme, _))) => Some(format!(
            "unsupported scheme {:?} for KMS provider, only unix is supported",
            scheme.to_ascii_lowercase()
        )),
        Ok(None) => {
            let first_segment = endpoint.split('/').next().unwrap_or("");
            if first_segment.contains(':') {
                Some(format!("invalid endpoint for kms provider, error: parse {endpoint:?}: first path segment in URL cannot contain colon"))
            } else {
                Some("unsupported scheme \"\" for KMS provider, only unix is supported".into())
            }
        }
    }
}

impl Rule for KmsEndpointNotUnix {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for kms in m.kms() {
            let node = kms.field("endpoint");
            let endpoint = node.and_then(Node::as_str).unwrap_or("");
            let Some(err) = endpoint_error(endpoint) else {
                continue;
            };
            let msg = if endpoint.is_empty() {
                format!(
                    "{} at {} has no `endpoint`: the apiserver rejects the file (`{err}`); set it to the plugin's `unix://` socket",
                    kms.label(),
                    kms.path()
                )
            } else {
                format!(
                    "{} endpoint `{endpoint}` is not a UNIX socket: the apiserver rejects the file (`{err}`); the KMS plugin must run locally and listen on `unix:///path/to/socket`",
                    kms.label()
                )
            };
            let at = node.filter(|n| n.as_str().is_some()).unwrap_or(kms.key);
            cx.report(obj, at, msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::endpoint_error;

    #[test]
    fn endpoints() {
        assert_eq!(endpoint_error("unix:///var/run/kms.sock"), None);
        assert_eq!(endpoint_error("unix:///@foo"), None);
        assert_eq!(
            endpoint_error("kms.example.com:12345").as_deref(),
            Some("unsupported scheme \"kms.example.com\" for KMS provider, only unix is supported")
        );
        assert!(endpoint_error("https://kms").unwrap().contains("\"https\""));
        assert!(endpoint_error("/tmp/kms.sock").unwrap().contains("\"\""));
        assert!(endpoint_error("10.0.0.1:443")
            .unwrap()
            .contains("first path segment"));
        assert!(endpoint_error(":443")
            .unwrap()
            .contains("missing protocol scheme"));
        assert!(endpoint_error("").is_some());
    }
}
