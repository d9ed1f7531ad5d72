"""Public views, one module per kind of page.

- `public`: home, section, byline, tag and story pages, and the corrections page;
- `archives`: year, month and day archives;
- `search`: the search form and its results;
- `previews`: previews and share-preview links.
"""
