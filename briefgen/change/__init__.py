"""What changed: the one place that decides what a build may reuse.

The idea, after the verifying traces of Salsa and of "Build systems à la carte"
(Mokhov, Mitchell, Peyton Jones, 2018): a value kept from an earlier build is
reused only when every input it read verifies unchanged, and the inputs are
recorded *while* it reads them, never listed by hand beside the code that reads.

- `keys.py`: the one key format. A value kept between builds is filed under `value_key`
  of what it is made from, walked; the function that makes it is given all of that as
  its arguments (a story's `StoryShape`, a view's `StorySetting`, a page's context), so
  no key lists by hand what another function reads. Equal values, equal keys: a value
  made again equal to before keeps all that follows it (early cut-off).
- `trace.py`: every read of the site goes through it (a file, a folder's listing,
  a story file known by its stamp); a `Trace` records each input as it is read and
  later verifies it: a file by one `stat`, read and digested again only when its
  stamp moved (a save of the same bytes cuts off there); a folder by its listing.
- `versions.py`: what every kept value was made with: briefgen's code and data and
  the versions of the libraries whose output reaches a page.
- `cache.py`: the cache folder and the codecs of what is kept in it (JSON records, and
  pickles read back as named value types only).
- `record.py`: the record of the last written build: its trace, its diagnostics
  and what it published. A build whose trace verifies writes nothing and reports
  exactly the recorded diagnostics, no fresh ones beside them.

The stages' memos, each keyed by what it is made from: a story's result by its file and
shape (story/content.py `story_key`); a story's view by its key and setting
(pages/views.py); the page plan by the config, registry, site images and each story's
placement (pages/memory.py `structure_key`), kept while that holds; a page by its path,
template and context (pages/plan.py), rendered again only when that or the templates
moved (theme/rendering.py); a search partition by its pages (search/pagefind.py).

It may import core and output (the record holds the writer's state); every stage
may import it.
"""
