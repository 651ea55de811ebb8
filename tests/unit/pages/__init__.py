"""Unit tests mirroring briefgen/pages."""
