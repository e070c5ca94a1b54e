# Tasks for autogen. `just --list` shows them.

# The test command (the same as README and .ci/run)
test:
    cargo nextest run --workspace --no-fail-fast

lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Everything CI runs, from a clean state
ci:
    bash .ci/run

# Benchmarks: introspection and diff at scale
bench:
    cargo bench -p autogen-cli --bench scale
