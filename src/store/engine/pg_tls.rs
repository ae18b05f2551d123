//! TLS to the server, as the URL asks, with libpq's meaning of `sslmode`: `disable` never,
//! `prefer` (the default) and `require` encrypt without checking who answers, `verify-ca` and
//! `verify-full` check the server's certificate against the system's roots, or against
//! `sslrootcert=FILE` (a province's own authority), `verify-full` also its name. rustls, so
//! nothing needs the system's OpenSSL to build.

use std::sync::Arc;

use postgres::Client;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// What the URL says of TLS, taken out of it (the client library knows only the first three
/// modes, and no `sslrootcert`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsWish {
    pub mode: String,
    pub root_cert: Option<String>,
}

/// The URL without `sslrootcert`, with `verify-*` as `require` for the client library, and
/// what it asked.
pub fn split_url(url: &str) -> (String, TlsWish) {
    let mut wish = TlsWish {
        mode: "prefer".into(),
        root_cert: None,
    };
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), wish);
    };
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("sslrootcert", v)) => wish.root_cert = Some(v.to_string()),
            Some(("sslmode", v)) => {
                wish.mode = v.to_string();
                kept.push(if v.starts_with("verify") {
                    "sslmode=require".to_string()
                } else {
                    pair.to_string()
                });
            }
            _ => kept.push(pair.to_string()),
        }
    }
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (url, wish)
}

/// Connects as `config` says, with TLS unless the URL said `sslmode=disable`.
pub fn connect(config: &postgres::Config, wish: &TlsWish) -> Result<Client, postgres::Error> {
    if wish.mode == "disable" {
        return config.connect(postgres::NoTls);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions");
    let tls = if wish.mode.starts_with("verify") {
        builder
            .with_root_certificates(roots(wish.root_cert.as_deref()))
            .with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
            .with_no_client_auth()
    };
    config.connect(MakeRustlsConnect::new(tls))
}

/// The system's roots, or only the given file's (the province's own authority).
fn roots(file: Option<&str>) -> RootCertStore {
    let mut store = RootCertStore::empty();
    match file {
        Some(path) => {
            // A missing or unreadable file leaves no root, and the handshake says so.
            for cert in CertificateDer::pem_file_iter(path)
                .into_iter()
                .flatten()
                .flatten()
            {
                let _ = store.add(cert);
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = store.add(cert);
            }
        }
    }
    store
}

/// `sslmode=require`: encrypted, whoever answers (libpq's meaning; `verify-full` checks).
#[derive(Debug)]
struct Unchecked(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_keeps_what_the_client_library_reads() {
        let (url, wish) = split_url(
            "postgresql://lan@db.langson.gov.vn/cchc?sslmode=verify-full&sslrootcert=/etc/cchc/ca.pem&connect_timeout=3",
        );
        assert_eq!(
            url,
            "postgresql://lan@db.langson.gov.vn/cchc?sslmode=require&connect_timeout=3"
        );
        assert_eq!(wish.mode, "verify-full");
        assert_eq!(wish.root_cert.as_deref(), Some("/etc/cchc/ca.pem"));
        let (url, wish) = split_url("postgresql:///cchc?host=/var/run/postgresql");
        assert_eq!(url, "postgresql:///cchc?host=/var/run/postgresql");
        assert_eq!(wish.mode, "prefer");
    }
}
