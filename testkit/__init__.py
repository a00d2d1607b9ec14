"""What tests and benchmarks share: servers, clients, databases, sample files. No test imports another."""
