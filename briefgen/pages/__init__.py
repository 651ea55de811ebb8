"""Which pages the site has and what each shows: the plan (plan: one Page per file,
with its context and key) and the views templates read (views: stories, lists,
link previews, JSON-LD); a story's share card is planned like a page and drawn here
(cards), not by a template. May import core, settings, story and site."""
