//! Unit tests of the weak structures.
