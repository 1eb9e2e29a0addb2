"""Benchmarks (`make bench` = `python -m benchmarks.run`): speed claims as ratios against baselines measured in the
same run. See benchmarks/RESULTS.md for the latest `make bench` figures and benchmarks/measured/ for figures
measured by hand."""
