//! Rows, measurement and output of the size report. Each module's rows live
//! in their own file and call [`Report::measure`].

use std::fmt::Write as _;

use leanmem::measure::{self, HeapSize};

/// Command-line options.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// One JSON object per row instead of the table.
    pub(crate) json: bool,
    /// Smaller datasets, for CI.
    pub(crate) quick: bool,
    /// Also write a bar chart of bytes per element to this file.
    pub(crate) svg: Option<std::path::PathBuf>,
}

impl Options {
    pub(crate) const USAGE: &'static str = "usage: memory_report [--json] [--quick] [--svg FILE]\n  \
        --json      print one JSON object per row\n  \
        --quick     smaller datasets (a few seconds; CI uses it)\n  \
        --svg FILE  also write a bar chart of bytes per element";

    pub(crate) fn from_args(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut o = Options::default();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--json" => o.json = true,
                "--quick" => o.quick = true,
                "--svg" => {
                    let path = args.next().ok_or("--svg needs a file name")?;
                    o.svg = Some(path.into());
                }
                "-h" | "--help" => return Err("help".into()),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(o)
    }

    /// `full` elements normally, `quick` with `--quick`.
    pub(crate) fn size(&self, full: usize, quick: usize) -> usize {
        if self.quick { quick } else { full }
    }
}

/// What a row is to its dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The obvious layout the module replaces.
    Naive,
    /// Another crate's (or std's) structure for the same job.
    Peer,
    /// A leanmem structure.
    Leanmem,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Naive => "naive",
            Role::Peer => "peer",
            Role::Leanmem => "leanmem",
        }
    }
}

/// One structure holding one dataset.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) module: &'static str,
    pub(crate) dataset: String,
    pub(crate) structure: String,
    pub(crate) role: Role,
    pub(crate) elements: usize,
    /// Heap bytes (allocator count) plus the structure's inline size.
    pub(crate) bytes: usize,
    /// Live heap blocks.
    pub(crate) blocks: isize,
    /// For leanmem rows: `HeapSize` disagreed with the allocator by this many
    /// bytes (a bug; `verify` refuses to print the report).
    pub(crate) heap_size_error: Option<isize>,
}

impl Row {
    pub(crate) fn bytes_per_element(&self) -> f64 {
        self.bytes as f64 / self.elements.max(1) as f64
    }
}

#[derive(Debug, Default)]
pub(crate) struct Report {
    rows: Vec<Row>,
}

impl Report {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Builds a structure under measurement and records its size. The value
    /// is dropped afterwards. Returns the built value's measured bytes.
    pub(crate) fn measure<T>(
        &mut self,
        module: &'static str,
        dataset: &str,
        structure: &str,
        role: Role,
        elements: usize,
        build: impl FnOnce() -> T,
    ) -> usize {
        let (value, m) = measure::measure(build);
        let m = m.expect("memory_report installs a tracking allocator");
        let bytes = m.net_bytes.max(0).unsigned_abs() + std::mem::size_of::<T>();
        self.rows.push(Row {
            module,
            dataset: dataset.to_string(),
            structure: structure.to_string(),
            role,
            elements,
            bytes,
            blocks: m.net_blocks(),
            heap_size_error: None,
        });
        drop(value);
        bytes
    }

    /// As [`measure`](Self::measure), and also checks the value's `HeapSize`
    /// against the allocator (for leanmem structures).
    pub(crate) fn measure_checked<T: HeapSize>(
        &mut self,
        module: &'static str,
        dataset: &str,
        structure: &str,
        role: Role,
        elements: usize,
        build: impl FnOnce() -> T,
    ) -> usize {
        let (value, m) = measure::measure(build);
        let m = m.expect("memory_report installs a tracking allocator");
        let error = value.heap_size() as isize - m.net_bytes;
        let bytes = m.net_bytes.max(0).unsigned_abs() + std::mem::size_of::<T>();
        self.rows.push(Row {
            module,
            dataset: dataset.to_string(),
            structure: structure.to_string(),
            role,
            elements,
            bytes,
            blocks: m.net_blocks(),
            heap_size_error: (error != 0).then_some(error),
        });
        drop(value);
        bytes
    }

    /// Every dataset has exactly one naive row, and every checked `HeapSize`
    /// agreed with the allocator.
    pub(crate) fn verify(&self) -> Result<(), String> {
        for row in &self.rows {
            if let Some(e) = row.heap_size_error {
                return Err(format!(
                    "{} on {}: HeapSize is off by {e} bytes from the allocator",
                    row.structure, row.dataset
                ));
            }
        }
        for dataset in self.datasets() {
            let naive = self
                .rows
                .iter()
                .filter(|r| r.dataset == dataset && r.role == Role::Naive)
                .count();
            if naive != 1 {
                return Err(format!("dataset {dataset:?} has {naive} naive rows, not 1"));
            }
        }
        Ok(())
    }

    fn datasets(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !seen.contains(&r.dataset.as_str()) {
                seen.push(&r.dataset);
            }
        }
        seen
    }

    /// Bytes of the dataset's naive row.
    fn naive_bytes(&self, dataset: &str) -> Option<usize> {
        self.rows
            .iter()
            .find(|r| r.dataset == dataset && r.role == Role::Naive)
            .map(|r| r.bytes)
    }

    /// Bytes of the smallest peer row of the dataset.
    fn best_peer_bytes(&self, dataset: &str) -> Option<usize> {
        self.rows
            .iter()
            .filter(|r| r.dataset == dataset && r.role == Role::Peer)
            .map(|r| r.bytes)
            .min()
    }

    fn ratios(&self, row: &Row) -> (Option<f64>, Option<f64>) {
        let naive = self
            .naive_bytes(&row.dataset)
            .map(|n| row.bytes as f64 / n.max(1) as f64);
        let peer = match row.role {
            Role::Leanmem => self
                .best_peer_bytes(&row.dataset)
                .map(|p| row.bytes as f64 / p.max(1) as f64),
            _ => None,
        };
        (naive, peer)
    }

    pub(crate) fn to_table(&self) -> String {
        let mut out = String::new();
        let width = self
            .rows
            .iter()
            .map(|r| r.structure.chars().count())
            .max()
            .unwrap_or(9)
            .max(9);
        for dataset in self.datasets() {
            let rows: Vec<&Row> = self.rows.iter().filter(|r| r.dataset == dataset).collect();
            let _ = writeln!(out, "\n[{}] {dataset}", rows[0].module);
            let _ = writeln!(
                out,
                "  {:<width$}  {:<7}  {:>12}  {:>9}  {:>9}  {:>7}  {:>10}",
                "structure", "role", "bytes", "B/elem", "blocks", "×naive", "×best peer"
            );
            for row in rows {
                let (naive, peer) = self.ratios(row);
                let _ = writeln!(
                    out,
                    "  {:<width$}  {:<7}  {:>12}  {:>9.2}  {:>9}  {:>7}  {:>10}",
                    row.structure,
                    row.role.as_str(),
                    row.bytes,
                    row.bytes_per_element(),
                    row.blocks,
                    naive.map_or_else(|| "-".into(), |r| format!("{r:.3}")),
                    peer.map_or_else(|| "-".into(), |r| format!("{r:.3}")),
                );
            }
        }
        out
    }

    pub(crate) fn to_json_lines(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            let (naive, peer) = self.ratios(row);
            let num = |x: Option<f64>| x.map_or_else(|| "null".to_string(), |v| format!("{v:.6}"));
            let _ = writeln!(
                out,
                "{{\"module\":{},\"dataset\":{},\"structure\":{},\"role\":{},\"elements\":{},\"bytes\":{},\"bytes_per_element\":{:.4},\"blocks\":{},\"ratio_to_naive\":{},\"ratio_to_best_peer\":{}}}",
                json_string(row.module),
                json_string(&row.dataset),
                json_string(&row.structure),
                json_string(row.role.as_str()),
                row.elements,
                row.bytes,
                row.bytes_per_element(),
                row.blocks,
                num(naive),
                num(peer),
            );
        }
        out
    }
}

impl Report {
    /// A horizontal bar chart of bytes per element, one panel per dataset,
    /// bars coloured by role; hand-written SVG, no dependencies.
    pub(crate) fn to_svg(&self) -> String {
        const WIDTH: f64 = 900.0;
        const LABEL: f64 = 330.0;
        const BAR_H: f64 = 16.0;
        const GAP: f64 = 4.0;
        let colour = |role: Role| match role {
            Role::Naive => "#c0504d",
            Role::Peer => "#8c8c8c",
            Role::Leanmem => "#2e7d32",
        };
        let mut body = String::new();
        let mut y = 40.0;
        for dataset in self.datasets() {
            let rows: Vec<&Row> = self.rows.iter().filter(|r| r.dataset == dataset).collect();
            let max = rows
                .iter()
                .map(|r| r.bytes_per_element())
                .fold(0.0f64, f64::max)
                .max(1e-9);
            let _ = writeln!(
                body,
                r#"<text x="10" y="{:.0}" font-weight="bold">[{}] {}</text>"#,
                y,
                xml(rows[0].module),
                xml(dataset)
            );
            y += 8.0;
            for r in rows {
                let bpe = r.bytes_per_element();
                let w = (WIDTH - LABEL - 110.0) * bpe / max;
                let _ = writeln!(
                    body,
                    r#"<text x="{:.0}" y="{:.0}" text-anchor="end">{}</text><rect x="{LABEL:.0}" y="{:.0}" width="{w:.1}" height="{BAR_H:.0}" fill="{}"/><text x="{:.1}" y="{:.0}">{bpe:.2} B</text>"#,
                    LABEL - 8.0,
                    y + BAR_H - 4.0,
                    xml(&r.structure),
                    y,
                    colour(r.role),
                    LABEL + w + 6.0,
                    y + BAR_H - 4.0,
                );
                y += BAR_H + GAP;
            }
            y += 26.0;
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0}" height="{:.0}" font-family="sans-serif" font-size="12">"#,
            y + 10.0
        );
        let _ = writeln!(
            out,
            r#"<rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="14">leanmem memory report: bytes per element (naive red, peers grey, leanmem green)</text>"#
        );
        out.push_str(&body);
        out.push_str("</svg>\n");
        out
    }
}

/// Text escaped for XML.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JSON string literal with the escapes RFC 8259 requires.
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
