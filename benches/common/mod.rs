//! Helpers shared by the bench targets: interleaved timing for ratios
//! measured in one run, and size printing.
#![allow(dead_code)] // each bench target uses a subset

use std::time::{Duration, Instant};

/// Times each candidate once per round, rotating which goes first, for
/// `rounds` rounds, and returns each candidate's median time. Interleaving
/// spreads machine noise (other processes, frequency changes) evenly over
/// the candidates, so their *ratios* are stable even when absolute times
/// drift.
pub(crate) fn interleaved_medians(
    rounds: usize,
    candidates: &mut [(&str, &mut dyn FnMut())],
) -> Vec<Duration> {
    let n = candidates.len();
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); n];
    for round in 0..rounds {
        for k in 0..n {
            let i = (round + k) % n;
            let start = Instant::now();
            (candidates[i].1)();
            times[i].push(start.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t[t.len() / 2]
        })
        .collect()
}

/// Prints candidates' median times per element and their ratio to the first
/// (the baseline), under a heading. Returns the ratios.
pub(crate) fn print_ratios(
    title: &str,
    elements: usize,
    rounds: usize,
    candidates: &mut [(&str, &mut dyn FnMut())],
) -> Vec<f64> {
    let medians = interleaved_medians(rounds, candidates);
    let base = medians[0].as_secs_f64();
    println!("\n{title}: median of {rounds} interleaved rounds, {elements} elements each");
    let mut ratios = Vec::new();
    for ((name, _), m) in candidates.iter().zip(&medians) {
        let ratio = m.as_secs_f64() / base;
        ratios.push(ratio);
        println!(
            "  {name:<40} {:>10.3} ns/elem   {:>6.3}× {}",
            m.as_secs_f64() * 1e9 / elements.max(1) as f64,
            ratio,
            candidates[0].0
        );
    }
    ratios
}

/// Prints bytes per element of each structure, and the ratio to the first.
pub(crate) fn print_sizes(title: &str, elements: usize, rows: &[(&str, usize)]) {
    println!("\n{title}: bytes per element ({elements} elements)");
    let base = rows.first().map_or(1, |r| r.1.max(1)) as f64;
    for (name, bytes) in rows {
        println!(
            "  {name:<40} {:>10.2} B/elem   {:>6.3}× {}",
            *bytes as f64 / elements.max(1) as f64,
            *bytes as f64 / base,
            rows[0].0
        );
    }
}
