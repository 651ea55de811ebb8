"""Unit tests mirroring briefgen/search."""
