//! Nothing here: the benchmark is `klantspiegel.rs` (`cargo bench -p klantspiegel-bench`). A
//! package needs a library or binary target, and this one keeps criterion out of the main
//! package's dev-dependencies, so `cargo test` does not build it.
