//! Encryption at rest: the `apiserver.config.k8s.io/v1` `EncryptionConfiguration` file given to
//! `--encryption-provider-config` (catalog section A.1). [`model`] computes what the apiserver
//! does with the file (effective providers per resource, masking, concatenation).

use crate::rule::Rule;

pub mod model;

mod enc001_secrets_not_covered;
mod enc002_identity_first;
mod enc003_identity_fallback;
mod enc004_aesgcm_write;
mod enc005_aescbc_write;
mod enc006_local_key_provider;
mod enc007_kms_v1;
mod enc008_kms_endpoint;
mod enc009_kms_v2_cachesize;
mod enc010_kms_cachesize_zero;
mod enc011_kms_timeout;
mod enc012_kms_version_name;
mod enc013_key_invalid;
mod enc014_keys_list;
mod enc015_weak_key;
mod enc016_provider_element;
mod enc017_resource_names;
mod enc018_resource_masked;
mod enc019_duplicate_resource;
mod enc023_legacy_format;

pub use enc001_secrets_not_covered::SecretsNotCovered;
pub use enc002_identity_first::IdentityWritesSecrets;
pub use enc003_identity_fallback::IdentityFallback;
pub use enc004_aesgcm_write::AesGcmWriteProvider;
pub use enc005_aescbc_write::AesCbcWriteProvider;
pub use enc006_local_key_provider::LocalKeyProvider;
pub use enc007_kms_v1::KmsV1;
pub use enc008_kms_endpoint::KmsEndpointNotUnix;
pub use enc009_kms_v2_cachesize::KmsV2CacheSize;
pub use enc010_kms_cachesize_zero::KmsCacheSizeZero;
pub use enc011_kms_timeout::KmsTimeoutInvalid;
pub use enc012_kms_version_name::KmsInvalidVersionOrName;
pub use enc013_key_invalid::KeyInvalid;
pub use enc014_keys_list::KeyListInvalid;
pub use enc015_weak_key::WeakKey;
pub use enc016_provider_element::ProviderElementInvalid;
pub use enc017_resource_names::InvalidResourceName;
pub use enc018_resource_masked::ResourceMasked;
pub use enc019_duplicate_resource::DuplicateResourceEntry;
pub use enc023_legacy_format::LegacyFormat;

pub static RULES: &[&dyn Rule] = &[
    &SecretsNotCovered,
    &IdentityWritesSecrets,
    &IdentityFallback,
    &AesGcmWriteProvider,
    &AesCbcWriteProvider,
    &LocalKeyProvider,
    &KmsV1,
    &KmsEndpointNotUnix,
    &KmsV2CacheSize,
    &KmsCacheSizeZero,
    &KmsTimeoutInvalid,
    &KmsInvalidVersionOrName,
    &KeyInvalid,
    &KeyListInvalid,
    &WeakKey,
    &ProviderElementInvalid,
    &InvalidResourceName,
    &ResourceMasked,
    &DuplicateResourceEntry,
    &LegacyFormat,
];

#[cfg(test)]
mod tests {
    use crate::{evaluate, Settings};

    /// `/work/shared/seed/examples/1-encryption-at-rest.yaml`, verbatim.
    const SEED: &str = r#"# From the seed article, section "Encryption at Rest" (indentation restored; content unchanged).
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - kms:
          name: my-kms-provider
          endpoint: kms.example.com:12345
          cachesize: 100
      - identity: {}
"#;

    fn enc_findings(text: &str) -> Vec<(&'static str, u32, String)> {
        let settings = Settings {
            enable: vec!["encryption-at-rest".to_string()],
            ..Settings::default()
        };
        let report = evaluate(&[("enc.yaml", text)], &settings);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let mut out: Vec<_> = report
            .findings
            .into_iter()
            .map(|f| (f.rule, f.line, f.message))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn seed_example() {
        let found = enc_findings(SEED);
        let ids: Vec<(&str, u32)> = found.iter().map(|(r, l, _)| (*r, *l)).collect();
        assert_eq!(
            ids,
            vec![("ENC-003", 12), ("ENC-007", 8), ("ENC-008", 10)],
            "{found:#?}"
        );
        let enc008 = &found[2].2;
        assert!(
            enc008.contains(
                "unsupported scheme \"kms.example.com\" for KMS provider, only unix is supported"
            ),
            "{enc008}"
        );
        assert!(found[1].2.contains("defaults to KMS v1"), "{}", found[1].2);
    }

    #[test]
    fn corrected_seed_is_clean_but_for_the_fallback() {
        let fixed = SEED.replace(
            "          name: my-kms-provider\n          endpoint: kms.example.com:12345\n          cachesize: 100\n",
            "          apiVersion: v2\n          name: my-kms-provider\n          endpoint: unix:///var/run/kms-provider.sock\n          timeout: 3s\n",
        );
        let ids: Vec<&str> = enc_findings(&fixed).into_iter().map(|f| f.0).collect();
        assert_eq!(ids, vec!["ENC-003"]);
    }

    #[test]
    fn moving_seed_to_v2_keeps_cachesize() {
        let v2 = SEED.replace(
            "          name: my-kms-provider\n",
            "          apiVersion: v2\n          name: my-kms-provider\n",
        );
        let ids: Vec<(&str, u32)> = enc_findings(&v2).iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(ids, vec![("ENC-003", 13), ("ENC-008", 11), ("ENC-009", 12)]);
    }

    #[test]
    fn hostile_shapes_do_not_panic() {
        for text in [
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: 5\n",
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [5, [], {resources: 1, providers: 2}]\n",
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [{resources: [secrets], providers: [{kms: 1}, {kms: {apiVersion: [v2], name: {a: b}, endpoint: [x], timeout: {}, cachesize: [1]}}, {aescbc: {keys: 3}}, {secretbox: {keys: [1, {name: [], secret: {}}]}}, 7, null]}]\n",
            "{\"apiVersion\": \"apiserver.config.k8s.io/v1\", \"kind\": \"EncryptionConfiguration\", \"resources\": [{\"resources\": [\"\", \".\", \"*.*.*\", \"é.É\"], \"providers\": [{\"kms\": {\"endpoint\": \"\\u0000\", \"timeout\": \"99999999999999h\"}}]}]}\n",
        ] {
            let _ = enc_findings(text);
        }
    }
}
