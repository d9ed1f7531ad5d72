"""Distribution: what carries stories beyond the site's own pages.

- `feeds`: RSS and Atom for the site, each section, byline and tag;
- `sitemaps`: the sitemap index, the Google News sitemap and robots.txt;
- `seo`: canonical URLs and schema.org structured data (JSON-LD).
"""
