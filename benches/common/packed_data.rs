//! Datasets of the `packed` bench and size report: three synthetic series
//! of the same length and one read from this machine.

use std::path::Path;

/// splitmix64: a small, fast, deterministic generator.
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Uniform in `[0, 2^20)`.
pub(crate) fn uniform20(n: usize) -> Vec<u64> {
    let mut r = SplitMix(1);
    (0..n).map(|_| r.next_u64() >> 44).collect()
}

/// Timestamps: start 1.7e9, increments uniform in `0..=3`.
pub(crate) fn timestamps(n: usize) -> Vec<u64> {
    let mut r = SplitMix(2);
    let mut t = 1_700_000_000u64;
    (0..n)
        .map(|_| {
            t += r.next_u64() >> 62;
            t
        })
        .collect()
}

/// Zipf-like values in `[0, 2^32)`: magnitudes log-uniform (a random
/// 32-bit value shifted right by 0..32 bits), so small values dominate but
/// the largest still needs 32 bits.
pub(crate) fn zipf32(n: usize) -> Vec<u64> {
    let mut r = SplitMix(3);
    (0..n)
        .map(|_| {
            let x = r.next_u64();
            (x >> 32) >> (x % 32)
        })
        .collect()
}

/// Sizes of the regular files under the first of `/usr`, the cargo
/// registry sources and `/etc` that yields at least 1000 files (at most
/// `limit` of them, in directory-walk order); otherwise a synthetic
/// stand-in (log-uniform sizes below 2^30). Returns the values and where
/// they came from.
pub(crate) fn file_sizes(limit: usize) -> (Vec<u64>, String) {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let mut roots = vec![Path::new("/usr").to_path_buf()];
    if let Some(h) = home {
        roots.push(h.join("registry").join("src"));
    }
    roots.push(Path::new("/etc").to_path_buf());
    for root in roots {
        let mut out = Vec::new();
        walk(&root, limit, &mut out);
        if out.len() >= 1000 {
            let what = format!("sizes of {} files under {}", out.len(), root.display());
            return (out, what);
        }
    }
    let mut r = SplitMix(4);
    let out: Vec<u64> = (0..limit.min(200_000))
        .map(|_| {
            let x = r.next_u64();
            (x >> 34) >> (x % 30)
        })
        .collect();
    let what = format!("{} synthetic file sizes (no directory to walk)", out.len());
    (out, what)
}

fn walk(dir: &Path, limit: usize, out: &mut Vec<u64>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if out.len() >= limit {
            return;
        }
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&e.path(), limit, out);
        } else if ft.is_file() {
            if let Ok(m) = e.metadata() {
                out.push(m.len());
            }
        }
    }
}
