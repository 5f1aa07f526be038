"""Speed and memory benchmarks, run by `make bench`; each module prints its figures and writes JSON to bench-out/."""
