"""The demo newsroom, The Riverside Ledger, that `manage.py load_demo` builds.

- `data/`: the content as YAML files (sections, bylines, accounts, stories).
- `content.py`: reads and checks those files into plain dataclasses.
- `pictures.py`: draws the lead images and portraits, and describes them for alt text.
- `builder.py`: finds, removes and builds the demo's rows in the database.
"""
