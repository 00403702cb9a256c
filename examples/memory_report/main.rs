//! The size report: every structure of every module, on the same data as the
//! benches, measured by the tracking allocator, side by side with its naive
//! twin and its best peer.
//!
//! ```text
//! cargo run --release --example memory_report              # the table
//! cargo run --release --example memory_report -- --json    # one JSON object per row
//! cargo run --release --example memory_report -- --quick   # smaller datasets (CI)
//! cargo run --release --example memory_report -- --svg report.svg  # and a bar chart
//! ```
//!
//! Bytes are requested heap bytes (capacity and slack included) as counted by
//! `leanmem::measure::TrackingAllocator`, plus the structure's inline size;
//! `blocks` is the number of live heap blocks, each of which costs the system
//! allocator a further 8–16 bytes of its own that no row includes.

use std::process::ExitCode;
use std::time::Instant;

use leanmem::measure::TrackingAllocator;

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

mod deque_rows;
mod intern_rows;
mod measure_rows;
mod packed_rows;
#[path = "../../benches/data/records.rs"]
mod records;
mod report;
mod slots_rows;
mod weak_rows;

use report::{Options, Report};

fn main() -> ExitCode {
    let options = match Options::from_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("memory_report: {message}\n\n{}", Options::USAGE);
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let mut report = Report::new();
    // In the tutorials' order.
    measure_rows::add(&mut report, &options);
    intern_rows::add(&mut report, &options);
    packed_rows::add(&mut report, &options);
    deque_rows::add(&mut report, &options);
    weak_rows::add(&mut report, &options);
    slots_rows::add(&mut report, &options);
    if let Err(e) = report.verify() {
        eprintln!("memory_report: {e}");
        return ExitCode::FAILURE;
    }
    if let Some(path) = &options.svg {
        if let Err(e) = std::fs::write(path, report.to_svg()) {
            eprintln!("memory_report: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if options.json {
        print!("{}", report.to_json_lines());
    } else {
        print!("{}", report.to_table());
        println!(
            "\n{} rows in {:.1} s; bytes = requested heap bytes + inline size (see the header of examples/memory_report/main.rs)",
            report.rows().len(),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}
