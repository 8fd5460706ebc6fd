//! The values kube-apiserver writes to etcd when it encrypts Secrets at rest: exact byte layouts,
//! the plaintext storage encoding, and (with the `envelope-crypto` feature) reading and writing
//! them as the apiserver does. The reference is `../shared/design/storage-formats.md` (upstream
//! files and lines for every rule).
//!
//! # Layers
//!
//! - Layouts, always compiled, crypto-agnostic and pure:
//!   [`layout`] (prefixes and payloads of aesgcm, aescbc, secretbox, KMS v1, KMS v2),
//!   [`kmsv2`] (the `EncryptedObject` protobuf message), [`storage`] (`k8s\x00` +
//!   `runtime.Unknown`, JSON, and `v1.Secret` in protobuf), [`proto`] (a minimal protobuf
//!   reader/writer), [`inspect`] (a field-by-field description without keys), [`config`] (the
//!   providers and keys an `EncryptionConfiguration` applies to a resource, in read order),
//!   [`kek`] (the local KEK file that stands in for a KMS plugin), [`read_order`] (which
//!   provider and key the apiserver tries on a value, in which order), [`encoding`]
//!   (raw/base64/hex/etcdctl-JSON input), [`yaml_out`] (`kubectl get -o yaml`-style output).
//! - Primitives and read/write, behind the `envelope-crypto` feature (on by default):
//!   [`crypto`] wraps RustCrypto's `aes-gcm`, `cbc` + `aes`, `crypto_secretbox`, `hkdf` +
//!   `sha2`; [`rw`] applies the apiserver's read order (`TransformFromStorage`) and write rule
//!   (`TransformToStorage`).
//!
//! # Why the primitives are a feature
//!
//! The browser playground encrypts with WebCrypto (`SubtleCrypto`, asynchronous, keys that can
//! stay non-extractable), so it builds the core without `envelope-crypto` (the web crate
//! already uses `default-features = false`) and uses the layout modules to build and take apart
//! values; the same layouts, byte for byte, that the native [`rw`] produces. The CLI, the tests
//! and any native caller get the RustCrypto primitives. Either way the core does no I/O: every
//! key, nonce and IV comes from the caller (a random source is a parameter of [`rw::write`]).

pub mod config;
pub mod encoding;
pub mod inspect;
pub mod kek;
pub mod kmsv2;
pub mod layout;
pub mod proto;
pub mod read_order;
pub mod storage;
pub mod yaml_out;

#[cfg(feature = "envelope-crypto")]
pub mod crypto;
#[cfg(feature = "envelope-crypto")]
pub mod rw;
