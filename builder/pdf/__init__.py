"""The printable PDFs: one form per project in the official layout, and a booklet per unit."""
