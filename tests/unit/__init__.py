"""Unit tests mirroring briefgen/."""
