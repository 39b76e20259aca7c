"""The printable PDFs: one form per project in the official layout, and a booklet per unit.

In the building process (no WeasyPrint imported):
  stage       write_pdfs: the stage, from checked projects to PDFs linked into the site
  documents   the documents of a build and their HTML
  cache       document keys, the cache of finished PDFs, pruning
  setup       the stylesheet and subset fonts every document shares
  pool        worker processes (started early) or a Dask cluster, and the tasks sent to them
  jobs        the jobs and results they exchange: plain data
  templates   the views and Jinja2 templates of the form, the booklet cover, the page stamps
  fonts       finding the CJK font and checking the machine (native: HarfBuzz, fontconfig)
  subset      the font cut once per build (repertoire: to what; glyph_order: in what order)
In a worker process:
  worker      its renderer and binder, and the dispatch of a job to them
  render      one HTML document to a PDF with WeasyPrint
  booklet     a unit's forms bound behind a cover and contents, with page numbers
"""
