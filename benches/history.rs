//! History store speed (filled in below).
fn main() {}
