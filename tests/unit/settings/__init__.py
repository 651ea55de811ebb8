"""Unit tests mirroring briefgen/settings."""
