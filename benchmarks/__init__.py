"""Speed and memory benchmarks, run by `make bench`; results go to bench-out/ (ignored by git)."""
