"""The commands besides `build` (which is build.py, the stage order): check, serve
(with livereload and its browser files), init (starter), new (scaffold), list (listing)
and import (importer). Each runs the stages through build.py; nothing below imports them."""
