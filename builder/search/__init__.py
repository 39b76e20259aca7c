"""The search index: Pagefind over the project pages, in parts merged in the browser."""
