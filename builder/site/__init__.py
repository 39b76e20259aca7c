"""The site's pages: what they show (views), the Jinja2 rendering, charts."""
