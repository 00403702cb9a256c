//! `slots`: a dict per record against structs, soa_derive, `Record`,
//! `Table` and a `slots!` table, on the users and on a real key: value
//! database.

use crate::records;
use crate::report::{Options, Report, Role};

pub(crate) fn add(report: &mut Report, options: &Options) {
    users(report, options.size(1_000_000, 50_000));
    packages(report, options);
}

fn users(report: &mut Report, n: usize) {
    let dataset = format!("{n} users {{id, name: user_<i>, email: user_<i>@example.com}}");
    let d = dataset.as_str();
    report.measure(
        "slots",
        d,
        "Vec<HashMap<String, Value>> (dict per record)",
        Role::Naive,
        n,
        || records::user_dicts(n),
    );
    report.measure(
        "slots",
        d,
        "Vec<struct {u64, String, String}>",
        Role::Peer,
        n,
        || records::user_structs(n),
    );
    report.measure("slots", d, "soa_derive PUserVec", Role::Peer, n, || {
        records::user_soa(n)
    });
    // Shapes are built inside each measured closure: a value's HeapSize
    // counts the shape it shares, so the allocator must see it built.
    report.measure_checked("slots", d, "Vec<slots::Record>", Role::Leanmem, n, || {
        records::user_records(&records::user_shape(), n)
    });
    report.measure_checked("slots", d, "slots::Table", Role::Leanmem, n, || {
        records::user_table(&records::user_shape(), n)
    });
    report.measure_checked("slots", d, "slots! table", Role::Leanmem, n, || {
        records::user_macro_table(n)
    });
}

fn packages(report: &mut Report, options: &Options) {
    let (dataset, packages) = records::packages(options.size(2_000, 500));
    let n = packages.len();
    let d = dataset.as_str();
    report.measure(
        "slots",
        d,
        "Vec<HashMap<String, Value>> (dict per record)",
        Role::Naive,
        n,
        || records::package_dicts(&packages),
    );
    report.measure("slots", d, "Vec<struct Package>", Role::Peer, n, || {
        packages.clone()
    });
    report.measure_checked(
        "slots",
        d,
        "slots::Table (shrink_to_fit)",
        Role::Leanmem,
        n,
        || records::package_table(&packages),
    );
}
