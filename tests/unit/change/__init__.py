"""Unit tests mirroring briefgen/change."""
