"""Unit tests mirroring briefgen/theme."""
