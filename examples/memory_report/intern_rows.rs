//! `intern` rows: one copy of each distinct identifier, with a 4-byte
//! symbol for each, against string-interner, lasso and the naive layouts, on
//! the same corpus as `benches/intern.rs`.

#[path = "../../benches/corpus/mod.rs"]
mod corpus;

use std::collections::HashMap;

use lasso::{Rodeo, ThreadedRodeo};
use leanmem::intern::{ConcurrentInterner, Interner, Symbol};
use string_interner::StringInterner;
use string_interner::backend::{BufferBackend, StringBackend};
use string_interner::symbol::SymbolU32;

use crate::report::{Options, Report, Role};

type SiString = StringInterner<StringBackend<SymbolU32>>;
type SiBuffer = StringInterner<BufferBackend<SymbolU32>>;

pub(crate) fn add(report: &mut Report, options: &Options) {
    let corpus = corpus::Corpus::load(options.size(1_000_000, 100_000));
    let t = &corpus.tokens[..];
    let n = corpus.unique;
    let dataset = format!(
        "{n} distinct identifiers ({:.2} B each; overhead = B/elem − {:.2}) of {} tokens: {}",
        corpus.unique_bytes as f64 / n.max(1) as f64,
        corpus.unique_bytes as f64 / n.max(1) as f64,
        t.len(),
        corpus.source
    );
    report.measure(
        "intern",
        &dataset,
        "HashMap<String, u32> + Vec<String>",
        Role::Naive,
        n,
        || {
            let mut map: HashMap<String, u32> = HashMap::new();
            let mut strings: Vec<String> = Vec::new();
            for s in t {
                if !map.contains_key(*s) {
                    map.insert((*s).to_owned(), strings.len() as u32);
                    strings.push((*s).to_owned());
                }
            }
            (map, strings)
        },
    );
    report.measure(
        "intern",
        &dataset,
        "string-interner StringBackend",
        Role::Peer,
        n,
        || {
            let mut i = SiString::new();
            t.iter().for_each(|s| {
                i.get_or_intern(s);
            });
            i
        },
    );
    report.measure(
        "intern",
        &dataset,
        "string-interner BufferBackend",
        Role::Peer,
        n,
        || {
            let mut i = SiBuffer::new();
            t.iter().for_each(|s| {
                i.get_or_intern(s);
            });
            i
        },
    );
    report.measure("intern", &dataset, "lasso Rodeo", Role::Peer, n, || {
        let mut i = Rodeo::default();
        t.iter().for_each(|s| {
            i.get_or_intern(s);
        });
        i
    });
    report.measure(
        "intern",
        &dataset,
        "lasso ThreadedRodeo",
        Role::Peer,
        n,
        || {
            let i = ThreadedRodeo::default();
            t.iter().for_each(|s| {
                i.get_or_intern(s);
            });
            i
        },
    );
    let build = || {
        let mut i = Interner::new();
        t.iter().for_each(|s| {
            i.intern(s);
        });
        i
    };
    report.measure_checked(
        "intern",
        &dataset,
        "Interner (growing)",
        Role::Leanmem,
        n,
        build,
    );
    report.measure_checked(
        "intern",
        &dataset,
        "Interner (shrink_to_fit)",
        Role::Leanmem,
        n,
        || {
            let mut i = build();
            i.shrink_to_fit();
            i
        },
    );
    report.measure_checked(
        "intern",
        &dataset,
        "FrozenInterner",
        Role::Leanmem,
        n,
        || build().freeze(),
    );
    report.measure_checked(
        "intern",
        &dataset,
        "ConcurrentInterner",
        Role::Leanmem,
        n,
        || {
            let i = ConcurrentInterner::new();
            t.iter().for_each(|s| {
                i.intern(s);
            });
            i
        },
    );

    // The `sys.intern` lesson: the token stream itself.
    let dataset = format!("the {} tokens themselves, {n} distinct", t.len());
    report.measure(
        "intern",
        &dataset,
        "Vec<String>",
        Role::Naive,
        t.len(),
        || t.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>(),
    );
    report.measure(
        "intern",
        &dataset,
        "Vec<SymbolU32> + string-interner StringBackend",
        Role::Peer,
        t.len(),
        || {
            let mut i = SiString::new();
            let syms: Vec<SymbolU32> = t.iter().map(|s| i.get_or_intern(s)).collect();
            (syms, i)
        },
    );
    report.measure_checked(
        "intern",
        &dataset,
        "Vec<Symbol> + FrozenInterner",
        Role::Leanmem,
        t.len(),
        || {
            let mut i = Interner::new();
            let syms: Vec<Symbol> = t.iter().map(|s| i.intern(s)).collect();
            (syms, i.freeze())
        },
    );
}
