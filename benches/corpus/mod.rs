//! The interning workload shared by `benches/intern.rs` and the size
//! report: identifiers tokenized from the Rust sources of the crates in the
//! local cargo registry (`$CARGO_HOME/registry/src`, present on any machine
//! that has built a crate with dependencies), in sorted file order, capped at
//! a fixed token count. With no sources found, a deterministic synthetic
//! stream with a Zipf-like repetition takes their place.
#![allow(dead_code)] // each user takes a subset

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A stream of tokens, with where it came from.
pub(crate) struct Corpus {
    /// The tokens in stream order (borrowed from one leaked buffer).
    pub(crate) tokens: Vec<&'static str>,
    /// Distinct tokens.
    pub(crate) unique: usize,
    /// Total bytes of the distinct tokens.
    pub(crate) unique_bytes: usize,
    /// What the tokens are.
    pub(crate) source: String,
}

impl Corpus {
    /// Up to `cap` identifiers from the registry sources, or `cap` synthetic
    /// ones if there are none.
    pub(crate) fn load(cap: usize) -> Self {
        let (tokens, source) = match registry_sources() {
            Some((root, files)) if !files.is_empty() => {
                let tokens = tokenize_files(&files, cap);
                let source = format!(
                    "{} identifiers from {} .rs files under {}",
                    tokens.len(),
                    files.len(),
                    root.display()
                );
                (tokens, source)
            }
            _ => (
                synthetic(cap),
                format!("{cap} synthetic identifiers (no registry sources found)"),
            ),
        };
        let mut seen = HashSet::new();
        let mut unique_bytes = 0;
        for t in &tokens {
            if seen.insert(*t) {
                unique_bytes += t.len();
            }
        }
        Corpus {
            unique: seen.len(),
            unique_bytes,
            tokens,
            source,
        }
    }

    /// The distinct tokens in order of first appearance.
    pub(crate) fn distinct(&self) -> Vec<&'static str> {
        let mut seen = HashSet::new();
        self.tokens
            .iter()
            .copied()
            .filter(|t| seen.insert(*t))
            .collect()
    }

    /// Bytes of overhead per distinct string of a structure of `bytes`
    /// bytes holding this corpus's distinct strings.
    pub(crate) fn overhead(&self, bytes: usize) -> f64 {
        (bytes as f64 - self.unique_bytes as f64) / self.unique.max(1) as f64
    }
}

/// The registry's source root and its `.rs` files, sorted.
fn registry_sources() -> Option<(PathBuf, Vec<PathBuf>)> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let root = home.join("registry").join("src");
    let mut files = Vec::new();
    collect_rs(&root, &mut files, 0);
    files.sort();
    Some((root, files))
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 12 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_rs(&path, out, depth + 1),
            Ok(t) if t.is_file() && path.extension().is_some_and(|e| e == "rs") => out.push(path),
            _ => {}
        }
    }
}

/// Identifiers (`[A-Za-z_][A-Za-z0-9_]*`) of the files, in order, up to
/// `cap`.
fn tokenize_files(files: &[PathBuf], cap: usize) -> Vec<&'static str> {
    let mut text = String::new();
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(cap);
    'files: for file in files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphabetic() || b == b'_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let at = text.len();
                // ASCII by construction.
                text.push_str(std::str::from_utf8(&bytes[start..i]).expect("ASCII identifier"));
                spans.push((at, text.len()));
                if spans.len() == cap {
                    break 'files;
                }
            } else if b.is_ascii_digit() {
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
    }
    let text: &'static str = Box::leak(text.into_boxed_str());
    spans.into_iter().map(|(a, b)| &text[a..b]).collect()
}

/// `n` identifier-like tokens from a vocabulary drawn with a Zipf-like law,
/// from a fixed seed.
fn synthetic(n: usize) -> Vec<&'static str> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const SYLLABLES: [&str; 16] = [
        "get", "set", "map", "len", "buf", "iter", "node", "key", "val", "ptr", "new", "into",
        "from", "size", "id", "ctx",
    ];
    let vocab: Vec<&'static str> = (0..(n / 30).max(16))
        .map(|_| {
            let parts = 1 + next() % 3;
            let word: Vec<&str> = (0..parts)
                .map(|_| SYLLABLES[(next() % 16) as usize])
                .collect();
            let s = format!("{}_{}", word.join("_"), next() % 1000);
            &*Box::leak(s.into_boxed_str())
        })
        .collect();
    (0..n)
        .map(|_| {
            // Zipf-like: the rank's density falls as 1/rank.
            let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let rank = ((vocab.len() as f64).powf(u) as usize).saturating_sub(1);
            vocab[rank.min(vocab.len() - 1)]
        })
        .collect()
}
