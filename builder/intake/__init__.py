"""Reading forms in from the files they come in (`jixiao import`).

A reader turns one file (text, .xlsx, .docx, a PDF with a text layer) into `grid.Table`s: rows
of cells, each cell with its text exactly as read and its `grid.Place` in the file. The
recogniser finds the forms in those tables and drafts one project file per form, recording
where each value came from; nothing is invented, and what the importer had to decide is a
review item with its place.
"""
