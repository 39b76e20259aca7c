"""The way out to Excel: a form in the official layout as a workbook, and the blank form.

- `grid.py`: the printed form as a plain grid of cells (text as printed, merges, figures with
  the number format that shows their printed digits), independent of any file format;
- `layout.py`: the columns, words and widths of the form, and what each family's blank form
  has, declared once;
- `form.py`: a `Project`'s grid, the rows of jixiao's PDF; `blank.py`: a family's blank grid;
- `xlsx.py`: a grid into an XlsxWriter sheet, and workbooks saved as the same bytes each time
  (openpyxl reads them back: `builder.intake`);
- `forms.py`: the site's `<id>.xlsx` beside each PDF, kept in the build's cache (`cache.py`);
  `template.py` and `command.py`: `jixiao template --xlsx`.
"""
