"""Open data: the checked forms as CSV, JSON and Data Packages."""
