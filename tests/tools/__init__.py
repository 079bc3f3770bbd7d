"""Test tools: generators and simulators that make inputs with known truth."""
