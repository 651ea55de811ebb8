"""What changed: the one place that decides what a build may reuse.

The idea, after the verifying traces of Salsa and of "Build systems à la carte"
(Mokhov, Mitchell, Peyton Jones, 2018): a value kept from an earlier build is
reused only when every input it read verifies unchanged, and the inputs are
recorded *while* it reads them, never listed by hand beside the code that reads.

- `trace.py`: every read of the site goes through it (a file, a folder's listing,
  a story file known by its stamp); a `Trace` records each input as it is read and
  later verifies it: a file by one `stat`, read and digested again only when its
  stamp moved (a save of the same bytes cuts off there); a folder by its listing.
  `digest` is the one key format.
- `versions.py`: what every kept value was made with: briefgen's code and data and
  the versions of the libraries whose output reaches a page.
- `cache.py`: the cache folder and the codecs of what is kept in it (JSON records, and
  pickles read back as named value types only).
- `record.py`: the record of the last written build: its trace, its diagnostics
  and what it published. A build whose trace verifies writes nothing and reports
  exactly the recorded diagnostics, no fresh ones beside them.

The stages' own memos use it: the story store (story/store.py) keys each story by
`digest`; the page plan is kept while the site's structure holds (pages/memory.py);
pages are keyed by what their context holds (pages/plan.py) and rendered
again only when that key or the template fingerprint moved (theme/rendering.py).

It may import core and output (the record holds the writer's state); every stage
may import it.
"""
