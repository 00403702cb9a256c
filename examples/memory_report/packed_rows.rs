//! `packed` rows: integers as a list of boxed ints, a plain array, the
//! bit-packing peers and leanmem's packed vectors, on the datasets of
//! `benches/packed.rs` (smaller here so the report stays fast).

use leanmem::packed::{BlockPackedVec, PackedVec};
use sucds::int_vectors::CompactVector;
use sux::bits::BitFieldVec;

use crate::report::{Options, Report, Role};

#[path = "../../benches/common/packed_data.rs"]
mod packed_data;

pub(crate) fn add(report: &mut Report, options: &Options) {
    let n = options.size(1_000_000, 50_000);
    let (files, files_name) = packed_data::file_sizes(n);
    let datasets = [
        (
            format!("{n} integers uniform in [0, 2^20) (u64)"),
            packed_data::uniform20(n),
        ),
        (
            format!("{n} timestamps 1.7e9 + steps 0..=3 (u64)"),
            packed_data::timestamps(n),
        ),
        (
            format!("{n} zipf-like integers in [0, 2^32) (u64)"),
            packed_data::zipf32(n),
        ),
        (format!("{files_name} (u64)"), files),
    ];
    for (dataset, values) in &datasets {
        let len = values.len();
        report.measure(
            "packed",
            dataset,
            "Vec<Box<u64>> (list of ints)",
            Role::Naive,
            len,
            || values.iter().copied().map(Box::new).collect::<Vec<_>>(),
        );
        report.measure(
            "packed",
            dataset,
            "Vec<u64> (array.array)",
            Role::Peer,
            len,
            || values.clone(),
        );
        report.measure(
            "packed",
            dataset,
            "sucds CompactVector",
            Role::Peer,
            len,
            || CompactVector::from_slice(values),
        );
        report.measure(
            "packed",
            dataset,
            "sux BitFieldVec",
            Role::Peer,
            len,
            || BitFieldVec::<Vec<u64>>::from_slice(values).expect("u64 values fit u64 words"),
        );
        report.measure_checked(
            "packed",
            dataset,
            "PackedVec<u64>",
            Role::Leanmem,
            len,
            || PackedVec::from_slice(values),
        );
        report.measure_checked(
            "packed",
            dataset,
            "BlockPackedVec<u64>",
            Role::Leanmem,
            len,
            || BlockPackedVec::from_slice(values),
        );
    }
}
