"""The search index: stories in stable partitions, each a Pagefind bundle made by
Pagefind's service in its own process (pagefind). May import core."""
