"""Turning answers into output: layout blocks, then plain text, Markdown, Rich or JSON.

Renderers never decide facts and never open the knowledge base; Rich is imported only by
`rich_format`, and only when the answer is drawn for a terminal.
"""
