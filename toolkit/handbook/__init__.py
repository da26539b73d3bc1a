"""The staff policy handbook: a page generator (:mod:`.pages`) and a thin MkDocs adapter (:mod:`.plugin`).

The generator knows nothing of MkDocs: it turns the repository model into Markdown pages, a navigation
tree and a header for each document page, so any static site tool that reads ``mkdocs.yml`` can use it.
"""
