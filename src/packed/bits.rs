//! Bit-level kernels shared by the packed structures: single-field reads and
//! writes, and width-specialised packing and unpacking of 64 fields at a
//! time.
//!
//! Fields are stored LSB-first: field `i` of width `w` occupies bits
//! `i*w .. (i+1)*w` of the word sequence, bit `b` being bit `b % 64` of word
//! `b / 64`. 64 fields of width `w` fill exactly `w` words, so the fields of
//! group `g` start at word `g*w`; the specialised kernels rely on it.

/// Fields per group of the specialised kernels.
pub(crate) const GROUP: usize = 64;

/// Words holding `len` fields of `width` bits, or `None` on overflow.
#[inline]
pub(crate) fn words_for(len: usize, width: u32) -> Option<usize> {
    len.checked_mul(width as usize)
        .map(|bits| bits.div_ceil(64))
}

/// Field `index` of `width` bits (`mask` = its all-ones value). Words past
/// the end read as zero, so this never panics.
///
/// Fields of up to 57 bits start within the first byte of an 8-byte window,
/// so on little-endian machines they are one unaligned load; wider fields
/// (and the last few bytes of the words) take one or two word loads.
#[inline(always)]
pub(crate) fn read(words: &[u64], width: u32, mask: u64, index: usize) -> u64 {
    let bit = index.wrapping_mul(width as usize);
    #[cfg(target_endian = "little")]
    if width <= 57 {
        if let Some(w) = super::unaligned::load_at(words, bit / 8) {
            return (w >> (bit % 8)) & mask;
        }
    }
    read_words(words, width, mask, bit)
}

/// The field of `width` bits at `bit`, from one or two word loads.
#[inline(always)]
fn read_words(words: &[u64], width: u32, mask: u64, bit: usize) -> u64 {
    let wi = bit / 64;
    let off = (bit % 64) as u32;
    let lo = match words.get(wi) {
        Some(&w) => w >> off,
        None => 0,
    };
    if off + width <= 64 {
        lo & mask
    } else {
        let hi = match words.get(wi + 1) {
            Some(&w) => w << (64 - off),
            None => 0,
        };
        (lo | hi) & mask
    }
}

/// Overwrites field `index` with `value` (`value <= mask`).
///
/// The words must cover the field: `words.len() >= words_for(index + 1, width)`.
#[inline]
pub(crate) fn write(words: &mut [u64], width: u32, mask: u64, index: usize, value: u64) {
    if width == 0 {
        return;
    }
    let bit = index * width as usize;
    let wi = bit / 64;
    let off = (bit % 64) as u32;
    words[wi] = (words[wi] & !(mask << off)) | (value << off);
    if off + width > 64 {
        let spill = 64 - off;
        words[wi + 1] = (words[wi + 1] & !(mask >> spill)) | (value >> spill);
    }
}

/// Clears every bit at or above `bit` in the words.
#[inline]
pub(crate) fn clear_from(words: &mut [u64], bit: usize) {
    let wi = bit / 64;
    let off = bit % 64;
    if wi < words.len() {
        if off == 0 {
            words[wi] = 0;
        } else {
            words[wi] &= u64::MAX >> (64 - off);
        }
        for w in &mut words[wi + 1..] {
            *w = 0;
        }
    }
}

/// Runs `$body` 64 times with `$j` bound to the literals 0..=63, so that in
/// a kernel specialised on its width every shift and word index is a
/// compile-time constant.
macro_rules! unroll64 {
    ($j:ident => $body:block) => {
        unroll64!(@ $j $body;
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59
            60 61 62 63)
    };
    (@ $j:ident $body:block; $($n:literal)*) => {
        $( { let $j: usize = $n; $body } )*
    };
}

/// Unpacks the 64 fields of width `W` held by the first `W` words of `src`.
#[inline(always)]
fn unpack_group<const W: usize>(src: &[u64], out: &mut [u64; GROUP]) {
    if W == 0 {
        *out = [0; GROUP];
        return;
    }
    let src = &src[..W];
    let mask = super::int::mask(W as u32);
    unroll64!(j => {
        out[j] = field::<W>(src, j, mask);
    });
}

/// Field `j` of a group of width `W` held by `src` (`j` a constant in the
/// unrolled kernels, so every shift and index is one).
#[inline(always)]
fn field<const W: usize>(src: &[u64], j: usize, mask: u64) -> u64 {
    let bit = j * W;
    let wi = bit / 64;
    let off = bit % 64;
    let mut v = src[wi] >> off;
    if off + W > 64 {
        v |= src[wi + 1] << (64 - off);
    }
    v & mask
}

/// Packs 64 fields of width `W` (each `<=` its mask) into the first `W`
/// words of `dst`, overwriting them.
#[inline(always)]
fn pack_group<const W: usize>(vals: &[u64; GROUP], dst: &mut [u64]) {
    if W == 0 {
        return;
    }
    let dst = &mut dst[..W];
    dst.fill(0);
    unroll64!(j => {
        let bit = j * W;
        let wi = bit / 64;
        let off = bit % 64;
        let v = vals[j];
        dst[wi] |= v << off;
        if off + W > 64 {
            dst[wi + 1] |= v >> (64 - off);
        }
    });
}

/// An unpacking kernel: the 64 fields held by the first `width` words of
/// its input.
pub(crate) type Unpack = fn(&[u64], &mut [u64; GROUP]);
/// A packing kernel: 64 fields into the first `width` words of its output.
pub(crate) type Pack = fn(&[u64; GROUP], &mut [u64]);

/// Something that consumes fields, in order: a reduction run inside the
/// specialised kernels, so fields never leave registers.
pub(crate) trait GroupSink {
    /// Called with each group's fields (fewer than 64 for the last).
    fn group(&mut self, fields: &[u64]);
    /// Called with the 64 fields of a full group, one at a time, by a
    /// kernel specialised on the width. The default collects them and
    /// calls [`group`](Self::group).
    fn group_start(&mut self) {}
    /// Field `j` (a compile-time constant in the kernels) of a full group.
    fn field(&mut self, j: usize, v: u64);
    /// After the 64th field of a full group.
    fn group_end(&mut self) {}
}

/// Feeds the 64 fields of width `W` held by the first `W` words of `src`
/// to `sink`, one by one, with every shift a compile-time constant.
#[inline(always)]
fn reduce_group<const W: usize, S: GroupSink>(src: &[u64], sink: &mut S) {
    sink.group_start();
    if W == 0 {
        for j in 0..GROUP {
            sink.field(j, 0);
        }
    } else {
        let src = &src[..W];
        let mask = super::int::mask(W as u32);
        unroll64!(j => {
            sink.field(j, field::<W>(src, j, mask));
        });
    }
    sink.group_end();
}

/// The fields of `len` values of width `W` in `words`, fed to `sink`, in
/// one loop specialised on the width.
#[inline(never)]
fn drive<const W: usize, S: GroupSink>(words: &[u64], len: usize, sink: &mut S) {
    let full = len / GROUP;
    for g in 0..full {
        reduce_group::<W, S>(&words[g * W..], sink);
    }
    let rest = len % GROUP;
    if rest > 0 {
        let mut buf = [0u64; GROUP];
        unpack_partial::<W>(words, full, &mut buf);
        sink.group(&buf[..rest]);
    }
}

/// Unpacks the partial group after the first `full` groups of `words`
/// (words past the end read as zero).
#[inline(always)]
fn unpack_partial<const W: usize>(words: &[u64], full: usize, out: &mut [u64; GROUP]) {
    let mut tmp = [0u64; GROUP];
    let src = &words[full * W..];
    let n = src.len().min(W);
    tmp[..n].copy_from_slice(&src[..n]);
    unpack_group::<W>(&tmp, out);
}

macro_rules! by_width {
    ($width:expr, $w:ident => $e:expr) => {
        by_width!(@ $width, $w, $e;
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59
            60 61 62 63 64)
    };
    (@ $width:expr, $w:ident, $e:expr; $($n:literal)*) => {
        match $width {
            $( $n => { const $w: usize = $n; $e } )*
            _ => unreachable!("bit width above 64"),
        }
    };
}

/// Feeds the fields of `len` values of `width` bits (`words` holding at
/// least `words_for(len, width)` words) to `sink`.
pub(crate) fn for_each_group<S: GroupSink>(words: &[u64], width: u32, len: usize, sink: &mut S) {
    by_width!(width, W => drive::<W, S>(words, len, sink))
}

/// The unpacking kernel for `width` (at most 64).
pub(crate) fn unpacker(width: u32) -> Unpack {
    by_width!(width, W => unpack_group::<W>)
}

/// The packing kernel for `width` (at most 64).
pub(crate) fn packer(width: u32) -> Pack {
    by_width!(width, W => pack_group::<W>)
}

/// Independent accumulators of the sum kernel, so that the additions form
/// several chains instead of one (two and four measured alike).
const LANES: usize = 4;

/// The exact sum of the fields of `len` values of `width` bits in `words`
/// (at least `words_for(len, width)` of them).
pub(crate) fn sum_fields(words: &[u64], width: u32, len: usize) -> u128 {
    by_width!(width, W => sum_drive::<W>(words, len))
}

/// [`sum_fields`] specialised on the width: the fields of each full group
/// are added, every shift a constant, into [`LANES`] `u64` accumulators
/// moved to the `u128` total only as often as overflow requires (for 20-bit
/// fields, never). It takes about half the time of the [`GroupSink`] loop
/// `sum` used before, which tested the width class at every field and moved
/// its lanes to 128 bits at every group: 0.185–0.193 ns per 20-bit value in
/// `benches/packed.rs` against 0.42 before, and 0.17–0.26 against 0.30–0.40
/// in an interleaved A/B probe.
#[inline(never)]
fn sum_drive<const W: usize>(words: &[u64], len: usize) -> u128 {
    let full = len / GROUP;
    let mut total = 0u128;
    if W == 0 {
        return 0;
    }
    let mask = super::int::mask(W as u32);
    // Each group adds 64 / LANES fields of at most `mask` to a lane; a
    // chunk of this many groups cannot overflow a `u64` lane. (Widths above
    // 60 take a slower path of 128-bit additions.)
    let per_lane = (GROUP / LANES) as u64;
    let chunk = (u64::MAX / mask.saturating_mul(per_lane)).max(1) as usize;
    let narrow = mask.checked_mul(per_lane).is_some();
    let mut g = 0;
    while g < full {
        let end = g.saturating_add(chunk).min(full);
        if narrow {
            let mut acc = [0u64; LANES];
            for group in words[g * W..end * W].chunks_exact(W) {
                let src = &group[..W];
                unroll64!(j => {
                    acc[j % LANES] += field::<W>(src, j, mask);
                });
            }
            total += acc.iter().map(|&a| u128::from(a)).sum::<u128>();
        } else {
            let mut buf = [0u64; GROUP];
            for group in words[g * W..end * W].chunks_exact(W) {
                unpack_group::<W>(group, &mut buf);
                total += buf.iter().map(|&v| u128::from(v)).sum::<u128>();
            }
        }
        g = end;
    }
    let rest = len % GROUP;
    if rest > 0 {
        let mut buf = [0u64; GROUP];
        unpack_partial::<W>(words, full, &mut buf);
        total += buf[..rest].iter().map(|&v| u128::from(v)).sum::<u128>();
    }
    total
}

/// Smallest and largest field.
#[derive(Debug)]
pub(crate) struct MinMaxSink {
    pub(crate) min: u64,
    pub(crate) max: u64,
}

impl Default for MinMaxSink {
    fn default() -> Self {
        Self {
            min: u64::MAX,
            max: 0,
        }
    }
}

impl GroupSink for MinMaxSink {
    #[inline(always)]
    fn field(&mut self, _: usize, v: u64) {
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    #[inline(always)]
    fn group(&mut self, fields: &[u64]) {
        let (mut lo, mut hi) = (self.min, self.max);
        for &v in fields {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        self.min = lo;
        self.max = hi;
    }
}

/// Unpacks group `g` of a `len`-field sequence into `out`; returns how many
/// fields it holds (64 but for the last group).
#[inline]
pub(crate) fn unpack_group_at(
    unpack: Unpack,
    words: &[u64],
    width: u32,
    len: usize,
    g: usize,
    out: &mut [u64; GROUP],
) -> usize {
    let start = g * GROUP;
    let n = len.saturating_sub(start).min(GROUP);
    let w = width as usize;
    let first = g * w;
    if n == GROUP && first + w <= words.len() {
        unpack(&words[first..], out);
    } else {
        let mut tmp = [0u64; GROUP];
        let src = words.get(first..).unwrap_or(&[]);
        let k = src.len().min(w);
        tmp[..k].copy_from_slice(&src[..k]);
        unpack(&tmp, out);
    }
    n
}
