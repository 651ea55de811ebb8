"""Unit tests mirroring briefgen/core."""
