"""Unit tests mirroring briefgen/story."""
