print("TUI benchmarks: not written yet")
