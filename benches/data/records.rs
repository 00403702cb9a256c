//! Record datasets shared by `benches/slots.rs` and the size report
//! (included with `#[path]`): the users of the playbook, and a real
//! key: value database.
#![allow(dead_code)] // each includer uses a subset

/// User `i`: `{id: i, name: "user_<i>", email: "user_<i>@example.com"}`.
pub(crate) fn user_fields(i: usize) -> (u64, String, String) {
    (
        i as u64,
        format!("user_{i}"),
        format!("user_{i}@example.com"),
    )
}

/// One package from a dpkg status database.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Package {
    pub(crate) package: String,
    pub(crate) version: String,
    pub(crate) architecture: String,
    pub(crate) maintainer: String,
    pub(crate) status: String,
    pub(crate) section: Option<String>,
    pub(crate) priority: Option<String>,
    pub(crate) installed_size: Option<i64>,
    pub(crate) depends: Option<String>,
    pub(crate) description: String,
}

/// Where the real database lives on Debian-like systems.
pub(crate) const DPKG_STATUS: &str = "/var/lib/dpkg/status";

/// Parses `key: value` paragraphs (dpkg's status file, or anything in its
/// format); continuation lines (starting with a space) are skipped, so a
/// multi-line field keeps its first line.
pub(crate) fn parse_packages(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let mut fields = std::collections::HashMap::new();
        for line in para.lines() {
            if line.starts_with(' ') || line.starts_with('\t') {
                continue;
            }
            if let Some((k, v)) = line.split_once(':') {
                fields.insert(k.trim(), v.trim());
            }
        }
        let Some(package) = fields.get("Package") else {
            continue;
        };
        let get = |k: &str| fields.get(k).map(|v| (*v).to_string());
        out.push(Package {
            package: (*package).to_string(),
            version: get("Version").unwrap_or_default(),
            architecture: get("Architecture").unwrap_or_default(),
            maintainer: get("Maintainer").unwrap_or_default(),
            status: get("Status").unwrap_or_default(),
            section: get("Section"),
            priority: get("Priority"),
            installed_size: fields.get("Installed-Size").and_then(|v| v.parse().ok()),
            depends: get("Depends"),
            description: get("Description").unwrap_or_default(),
        });
    }
    out
}

/// A deterministic twin of a dpkg database with `n` packages, for machines
/// without one: few distinct maintainers, sections and architectures, as in
/// the real file.
pub(crate) fn synthetic_status(n: usize) -> String {
    const SECTIONS: [&str; 8] = [
        "admin", "libs", "utils", "devel", "net", "python", "perl", "text",
    ];
    const ARCHS: [&str; 2] = ["amd64", "all"];
    let mut s = String::new();
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let r = x as usize;
        s.push_str(&format!(
            "Package: pkg{i}\nStatus: install ok installed\nPriority: {}\nSection: {}\nInstalled-Size: {}\nMaintainer: Team {} <team{}@lists.example.org>\nArchitecture: {}\nVersion: {}.{}-{}\n{}Description: package number {i}\n continuation line\n\n",
            if r % 5 == 0 { "important" } else { "optional" },
            SECTIONS[r % SECTIONS.len()],
            r % 20_000,
            r % 40,
            r % 40,
            ARCHS[r % 2],
            r % 7,
            r % 13,
            r % 3,
            if r % 8 == 0 { String::new() } else { format!("Depends: libc6 (>= 2.{}), pkg{}\n", r % 30, r % (i + 1)) },
        ));
    }
    s
}

/// The real dpkg database if this machine has one, else the synthetic twin
/// of `fallback` packages; with the dataset's name.
pub(crate) fn packages(fallback: usize) -> (String, Vec<Package>) {
    match std::fs::read_to_string(DPKG_STATUS) {
        Ok(text) if text.contains("Package:") => {
            let p = parse_packages(&text);
            (format!("{} packages from {DPKG_STATUS}", p.len()), p)
        }
        _ => {
            let p = parse_packages(&synthetic_status(fallback));
            (format!("{} synthetic dpkg-style packages", p.len()), p)
        }
    }
}
