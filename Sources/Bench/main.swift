// svledger-bench: filled in by the benchmark work (issue 6). tools/bench runs it.
print("svledger-bench: not yet implemented")
