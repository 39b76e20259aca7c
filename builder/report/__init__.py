"""Reporting findings, one family for every place they are shown.

- `located.py`: the findings of a check as plain data, each with the line of the file it is on
  and its terminal text: what every reporter starts from (and what a browser overlay can use).
- `terminal.py`: `jixiao check` and `jixiao build` on a terminal or in a log.
- `document.py`: `jixiao check --json`, a contract (fields may be added, none renamed or removed).
- `github.py`: GitHub Actions annotations (`jixiao check --format github`).
- `progress.py`: the build's progress, as bars on a terminal or one line per stage in a log.
"""
