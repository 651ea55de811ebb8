"""Unit tests mirroring briefgen/output."""
