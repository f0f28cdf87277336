"""The parse layer's assets and checks."""
