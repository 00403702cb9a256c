//! Rows that need nothing but `measure`: the boxed-integer cost that
//! `array.array` (and `packed`) removes, on plain std layouts.

use crate::report::{Options, Report, Role};

pub(crate) fn add(report: &mut Report, options: &Options) {
    let n = options.size(1_000_000, 50_000);
    let dataset = format!("{n} integers 0..{n} (i64)");
    report.measure(
        "measure",
        &dataset,
        "Vec<Box<i64>> (list of ints)",
        Role::Naive,
        n,
        || (0..n as i64).map(Box::new).collect::<Vec<_>>(),
    );
    report.measure(
        "measure",
        &dataset,
        "Vec<i64> (array.array)",
        Role::Peer,
        n,
        || (0..n as i64).collect::<Vec<_>>(),
    );
}
