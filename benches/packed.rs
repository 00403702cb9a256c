use sucds::int_vectors::CompactVector;
use sux::bits::BitFieldVec;
fn main() {
    let _ = CompactVector::new(3);
    let _ = BitFieldVec::<usize>::new(3, 0);
}
