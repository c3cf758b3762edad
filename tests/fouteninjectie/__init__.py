"""Fault-injection suite (issue 14): mutate valid simulated tables and check that nothing crashes or is lost."""
