"""Benchmarks: each module is a command, run from the repository root as
`python -m bench.<module>` (see docs/benchmarks.md). They may use the whole package;
nothing in the package imports them."""
