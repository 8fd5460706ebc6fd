//! The primitives of the storage formats, from RustCrypto (feature `envelope-crypto`). Nothing here
//! implements a cipher: these are thin, panic-free wrappers that fix the parameters the apiserver
//! uses and reproduce its error cases.
//!
//! - AES-GCM (`aes-gcm`): 16-, 24- or 32-byte keys, 12-byte nonce, 16-byte tag appended.
//! - AES-CBC (`cbc` + `aes`): PKCS#7 padding on write; on read the padding is checked exactly as
//!   kubernetes/apiserver `aes.go` does, with its three errors.
//! - NaCl secretbox (`crypto_secretbox`): XSalsa20-Poly1305, 32-byte key, 24-byte nonce, tag first.
//! - HKDF-Expand-SHA256 (`hkdf` + `sha2`), no extract step, as KMS v2 seed mode derives its keys.
//!
//! Randomness is the caller's: every nonce, IV and key is an argument.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm, AesGcm};
use cbc::cipher::block_padding::{NoPadding, Pkcs7};
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};

use super::layout::{AES_BLOCK_SIZE, GCM_NONCE_SIZE, SECRETBOX_NONCE_SIZE};

type Aes192Gcm = AesGcm<aes::Aes192, aes_gcm::aead::consts::U12>;

/// A cryptographic failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CryptoError {
    /// A key of a size the algorithm does not take.
    KeySize { algorithm: &'static str, len: usize },
    /// A nonce or IV of the wrong size.
    NonceSize { algorithm: &'static str, len: usize },
    /// The tag does not match: wrong key, wrong AAD (etcd key), or tampered data.
    Authentication { algorithm: &'static str },
    /// AES-CBC data that is not a whole number of blocks (`errInvalidBlockSize`).
    InvalidBlockSize,
    /// Last byte 0 or larger than the data (`errInvalidPKCS7Data`).
    InvalidPkcs7Data,
    /// Padding bytes that differ from the last byte (`errInvalidPKCS7Padding`).
    InvalidPkcs7Padding,
    /// An HKDF seed shorter than 32 bytes.
    SeedSize { len: usize },
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CryptoError::KeySize { algorithm, len } => {
                write!(f, "{algorithm}: invalid key size {len}")
            }
            CryptoError::NonceSize { algorithm, len } => {
                write!(f, "{algorithm}: invalid nonce size {len}")
            }
            CryptoError::Authentication { algorithm } => write!(
                f,
                "{algorithm}: message authentication failed (wrong key, wrong etcd key, or tampered data)"
            ),
            CryptoError::InvalidBlockSize => {
                write!(f, "aes-cbc: the stored data is not a multiple of the block size")
            }
            CryptoError::InvalidPkcs7Data => write!(
                f,
                "aes-cbc: invalid PKCS7 data (empty or padding larger than the data): wrong key or tampered data"
            ),
            CryptoError::InvalidPkcs7Padding => write!(
                f,
                "aes-cbc: invalid padding on input: wrong key or tampered data"
            ),
            CryptoError::SeedSize { len } => write!(
                f,
                "hkdf: the seed is {len} bytes, at least 32 are needed"
            ),
        }
    }
}

impl std::error::Error for CryptoError {}

const GCM: &str = "aes-gcm";

fn check_nonce(algorithm: &'static str, nonce: &[u8], size: usize) -> Result<(), CryptoError> {
    if nonce.len() == size {
        Ok(())
    } else {
        Err(CryptoError::NonceSize {
            algorithm,
            len: nonce.len(),
        })
    }
}

fn gcm_run<C: KeyInit + Aead>(
    key: &[u8],
    nonce: &[u8],
    payload: Payload<'_, '_>,
    seal: bool,
) -> Result<Vec<u8>, CryptoError> {
    let cipher = C::new_from_slice(key).map_err(|_| CryptoError::KeySize {
        algorithm: GCM,
        len: key.len(),
    })?;
    check_nonce(GCM, nonce, GCM_NONCE_SIZE)?;
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    let result = if seal {
        cipher.encrypt(nonce, payload)
    } else {
        cipher.decrypt(nonce, payload)
    };
    result.map_err(|_| CryptoError::Authentication { algorithm: GCM })
}

fn gcm(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    msg: &[u8],
    seal: bool,
) -> Result<Vec<u8>, CryptoError> {
    let payload = Payload { msg, aad };
    match key.len() {
        16 => gcm_run::<Aes128Gcm>(key, nonce, payload, seal),
        24 => gcm_run::<Aes192Gcm>(key, nonce, payload, seal),
        32 => gcm_run::<Aes256Gcm>(key, nonce, payload, seal),
        len => Err(CryptoError::KeySize {
            algorithm: GCM,
            len,
        }),
    }
}

/// AES-GCM encryption: `ciphertext ‖ tag(16)`.
pub fn aes_gcm_seal(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    gcm(key, nonce, aad, plaintext, true)
}

/// AES-GCM decryption of `ciphertext ‖ tag(16)`.
pub fn aes_gcm_open(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    gcm(key, nonce, aad, sealed, false)
}

const CBC: &str = "aes-cbc";

fn cbc_key_error(key: &[u8], iv: &[u8]) -> CryptoError {
    if iv.len() != AES_BLOCK_SIZE {
        CryptoError::NonceSize {
            algorithm: CBC,
            len: iv.len(),
        }
    } else {
        CryptoError::KeySize {
            algorithm: CBC,
            len: key.len(),
        }
    }
}

/// AES-CBC encryption with PKCS#7 padding (1 to 16 bytes, always added).
pub fn aes_cbc_encrypt(key: &[u8], iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    fn run<C>(key: &[u8], iv: &[u8], pt: &[u8]) -> Result<Vec<u8>, CryptoError>
    where
        cbc::Encryptor<C>: KeyIvInit + BlockEncryptMut,
        C: cbc::cipher::BlockEncryptMut + cbc::cipher::BlockCipher,
    {
        let enc =
            cbc::Encryptor::<C>::new_from_slices(key, iv).map_err(|_| cbc_key_error(key, iv))?;
        Ok(enc.encrypt_padded_vec_mut::<Pkcs7>(pt))
    }
    match key.len() {
        16 => run::<aes::Aes128>(key, iv, plaintext),
        24 => run::<aes::Aes192>(key, iv, plaintext),
        32 => run::<aes::Aes256>(key, iv, plaintext),
        len => Err(CryptoError::KeySize {
            algorithm: CBC,
            len,
        }),
    }
}

/// AES-CBC decryption, then the apiserver's PKCS#7 check: the last byte `c` must be non-zero
/// and at most the data length, and the last `c` bytes must all equal `c`.
pub fn aes_cbc_decrypt(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    fn run<C>(key: &[u8], iv: &[u8], ct: &[u8]) -> Result<Vec<u8>, CryptoError>
    where
        cbc::Decryptor<C>: KeyIvInit + BlockDecryptMut,
        C: cbc::cipher::BlockDecryptMut + cbc::cipher::BlockCipher,
    {
        let dec =
            cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| cbc_key_error(key, iv))?;
        dec.decrypt_padded_vec_mut::<NoPadding>(ct)
            .map_err(|_| CryptoError::InvalidBlockSize)
    }
    if ciphertext.len() % AES_BLOCK_SIZE != 0 {
        return Err(CryptoError::InvalidBlockSize);
    }
    let mut out = match key.len() {
        16 => run::<aes::Aes128>(key, iv, ciphertext)?,
        24 => run::<aes::Aes192>(key, iv, ciphertext)?,
        32 => run::<aes::Aes256>(key, iv, ciphertext)?,
        len => {
            return Err(CryptoError::KeySize {
                algorithm: CBC,
                len,
            })
        }
    };
    let Some(&c) = out.last() else {
        return Err(CryptoError::InvalidPkcs7Data);
    };
    let pad = usize::from(c);
    if pad == 0 || pad > out.len() {
        return Err(CryptoError::InvalidPkcs7Data);
    }
    let size = out.len() - pad;
    if out[size..].iter().any(|b| *b != c) {
        return Err(CryptoError::InvalidPkcs7Padding);
    }
    out.truncate(size);
    Ok(out)
}

const SECRETBOX: &str = "secretbox";

fn secretbox(key: &[u8], nonce: &[u8], msg: &[u8], seal: bool) -> Result<Vec<u8>, CryptoError> {
    use crypto_secretbox::XSalsa20Poly1305;
    let cipher = XSalsa20Poly1305::new_from_slice(key).map_err(|_| CryptoError::KeySize {
        algorithm: SECRETBOX,
        len: key.len(),
    })?;
    check_nonce(SECRETBOX, nonce, SECRETBOX_NONCE_SIZE)?;
    let nonce = crypto_secretbox::Nonce::from_slice(nonce);
    let result = if seal {
        cipher.encrypt(nonce, msg)
    } else {
        cipher.decrypt(nonce, msg)
    };
    result.map_err(|_| CryptoError::Authentication {
        algorithm: SECRETBOX,
    })
}

/// NaCl `secretbox.Seal`: `tag(16) ‖ ciphertext`.
pub fn secretbox_seal(key: &[u8], nonce: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    secretbox(key, nonce, plaintext, true)
}

/// NaCl `secretbox.Open` of `tag(16) ‖ ciphertext`.
pub fn secretbox_open(key: &[u8], nonce: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    secretbox(key, nonce, sealed, false)
}

/// HKDF-Expand-SHA256(PRK = seed, info, L = 32), without an extract step (KMS v2 seed mode).
pub fn hkdf_sha256_expand(seed: &[u8], info: &[u8]) -> Result<[u8; 32], CryptoError> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::from_prk(seed)
        .map_err(|_| CryptoError::SeedSize { len: seed.len() })?;
    let mut okm = [0u8; 32];
    // 32 bytes is one block: expand cannot fail for this length.
    hk.expand(info, &mut okm)
        .map_err(|_| CryptoError::SeedSize { len: seed.len() })?;
    Ok(okm)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Upstream vector A (storage-formats.md §7.1, `TestGCMLegacyDataCompatibility`).
    #[test]
    fn upstream_gcm_vector() {
        let payload = hex("9f27c8fcea8a58c467d8e437dbf2d85955f9b4bd912f4ef967d788a0cb07797dac0a3f0a0845605ca85ac8562b4ae1");
        let (nonce, sealed) = payload.split_at(12);
        let pt = aes_gcm_open(b"snorlax_awesomes", nonce, b"bamboo", sealed).unwrap();
        assert_eq!(pt, b"pandas are the best");
        assert_eq!(
            aes_gcm_seal(b"snorlax_awesomes", nonce, b"bamboo", &pt).unwrap(),
            sealed
        );
        assert_eq!(
            aes_gcm_open(b"snorlax_awesomes", nonce, b"bamboo!", sealed),
            Err(CryptoError::Authentication {
                algorithm: "aes-gcm"
            })
        );
    }

    /// Upstream vector B (`TestExtendedNonceGCMLegacyDataCompatibility`): HKDF key derivation.
    #[test]
    fn upstream_hkdf_vector() {
        let seed = hex("5d40323a820ff95561675e3b95e81867c5fdd561d35a88a2d08b08aa9d4fcf5c");
        let payload = hex("2442759e33945fbad709db577a0f037fd8a709fc76979b8942209debcecb9d57efe3d6ff6a1ef6ee9a5003b9833b3043cec1e47b35175b151107a8d2416b0e296bbf66b5d102fcefdf9a78f293d271");
        let (info, rest) = payload.split_at(32);
        let key = hkdf_sha256_expand(&seed, info).unwrap();
        assert_eq!(
            key.to_vec(),
            hex("6e58b7659c304b0c382f42f16bd700465def1dead80bf6f1bf1d52073bdb0c00")
        );
        let (nonce, sealed) = rest.split_at(12);
        assert_eq!(
            aes_gcm_open(&key, nonce, b"bamboo", sealed).unwrap(),
            b"pandas are the best"
        );
        assert_eq!(
            hkdf_sha256_expand(&seed[..31], info),
            Err(CryptoError::SeedSize { len: 31 })
        );
    }

    /// NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt), first block; PKCS#7 adds a full block.
    #[test]
    fn nist_cbc_vector_and_padding() {
        let key = hex("2b7e151628aed2a6abf7158809cf4f3c");
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let pt = hex("6bc1bee22e409f96e93d7e117393172a");
        let ct = aes_cbc_encrypt(&key, &iv, &pt).unwrap();
        assert_eq!(ct.len(), 32);
        assert_eq!(ct[..16], hex("7649abac8119b246cee98e9b12e9197d"));
        assert_eq!(aes_cbc_decrypt(&key, &iv, &ct).unwrap(), pt);
        for len in [0usize, 1, 15, 17] {
            let m = vec![7u8; len];
            let c = aes_cbc_encrypt(&key, &iv, &m).unwrap();
            assert_eq!(c.len(), (len / 16 + 1) * 16);
            assert_eq!(aes_cbc_decrypt(&key, &iv, &c).unwrap(), m);
        }
        assert_eq!(
            aes_cbc_decrypt(&key, &iv, &ct[..20]),
            Err(CryptoError::InvalidBlockSize)
        );
        assert_eq!(
            aes_cbc_decrypt(&key, &iv, &[]),
            Err(CryptoError::InvalidPkcs7Data)
        );
    }

    #[test]
    fn cbc_padding_errors_are_upstreams() {
        let key = [1u8; 32];
        let iv = [2u8; 16];
        // PKCS#7 adds a whole block after a 16-byte input: the first block is `block` alone.
        let encrypt_raw = |block: &[u8]| aes_cbc_encrypt(&key, &iv, block).unwrap()[..16].to_vec();
        let mut zero_pad = [0u8; 16];
        zero_pad[15] = 0;
        assert_eq!(
            aes_cbc_decrypt(&key, &iv, &encrypt_raw(&zero_pad)),
            Err(CryptoError::InvalidPkcs7Data)
        );
        let mut too_big = [0u8; 16];
        too_big[15] = 17;
        assert_eq!(
            aes_cbc_decrypt(&key, &iv, &encrypt_raw(&too_big)),
            Err(CryptoError::InvalidPkcs7Data)
        );
        let mut mismatch = [3u8; 16];
        mismatch[14] = 9;
        assert_eq!(
            aes_cbc_decrypt(&key, &iv, &encrypt_raw(&mismatch)),
            Err(CryptoError::InvalidPkcs7Padding)
        );
        let mut sixteen = [16u8; 16];
        assert_eq!(
            aes_cbc_decrypt(&key, &iv, &encrypt_raw(&sixteen)).unwrap(),
            b""
        );
        sixteen[0] = 1;
        assert_eq!(
            aes_cbc_decrypt(&key, &iv, &encrypt_raw(&sixteen)),
            Err(CryptoError::InvalidPkcs7Padding)
        );
    }

    /// NaCl `tests/secretbox.c`: the reference XSalsa20-Poly1305 vector (tag first).
    #[test]
    fn nacl_secretbox_vector() {
        let key = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
        let nonce = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
        let m = hex("be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705");
        let c = hex("f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5");
        assert_eq!(secretbox_seal(&key, &nonce, &m).unwrap(), c);
        assert_eq!(secretbox_open(&key, &nonce, &c).unwrap(), m);
        let mut forged = c.clone();
        forged[20] ^= 1;
        assert_eq!(
            secretbox_open(&key, &nonce, &forged),
            Err(CryptoError::Authentication {
                algorithm: "secretbox"
            })
        );
    }

    #[test]
    fn sizes_are_errors_not_panics() {
        assert_eq!(
            aes_gcm_seal(&[0; 20], &[0; 12], b"", b""),
            Err(CryptoError::KeySize {
                algorithm: "aes-gcm",
                len: 20
            })
        );
        assert_eq!(
            aes_gcm_seal(&[0; 16], &[0; 11], b"", b""),
            Err(CryptoError::NonceSize {
                algorithm: "aes-gcm",
                len: 11
            })
        );
        assert_eq!(
            aes_gcm_open(&[0; 32], &[0; 12], b"", b"short"),
            Err(CryptoError::Authentication {
                algorithm: "aes-gcm"
            })
        );
        let k24 = [5u8; 24];
        let sealed = aes_gcm_seal(&k24, &[0; 12], b"aad", b"x").unwrap();
        assert_eq!(aes_gcm_open(&k24, &[0; 12], b"aad", &sealed).unwrap(), b"x");
        assert_eq!(
            aes_cbc_encrypt(&[0; 15], &[0; 16], b""),
            Err(CryptoError::KeySize {
                algorithm: "aes-cbc",
                len: 15
            })
        );
        assert_eq!(
            aes_cbc_encrypt(&[0; 16], &[0; 8], b""),
            Err(CryptoError::NonceSize {
                algorithm: "aes-cbc",
                len: 8
            })
        );
        assert_eq!(
            secretbox_seal(&[0; 16], &[0; 24], b""),
            Err(CryptoError::KeySize {
                algorithm: "secretbox",
                len: 16
            })
        );
        assert_eq!(
            secretbox_seal(&[0; 32], &[0; 12], b""),
            Err(CryptoError::NonceSize {
                algorithm: "secretbox",
                len: 12
            })
        );
        assert_eq!(
            secretbox_open(&[0; 32], &[0; 24], b"short"),
            Err(CryptoError::Authentication {
                algorithm: "secretbox"
            })
        );
    }
}
