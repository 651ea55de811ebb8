"""One story, from its file to its rendered text: find and read the files (content),
check the front matter into a typed Story (validate), render its Markdown with
citations (markdown, render), an editor's advice (editorial), and what the site as a
whole needs of it (entry). The chain is pure in the file's path and bytes, so it runs
in parallel, and the story store (store) keeps its results under keys from the change
layer. May import core, settings and change.
"""
