"""Reporting findings to the people who fix them: the terminal, JSON, GitHub annotations."""
