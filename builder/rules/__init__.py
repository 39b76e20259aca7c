"""The rules: validation, scoring, reconciliation, and the findings with their Chinese explanations."""
