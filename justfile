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

# Benchmark at 100, 1k and 5k tables against the catalog floor (docs/performance.md);
# AUTOGEN_BENCH_SIZES=100,1000 AUTOGEN_BENCH_RUNS=3 AUTOGEN_BENCH_COMMANDS=inspect,check narrow it
bench:
    cargo bench -p autogen-cli --bench scale
