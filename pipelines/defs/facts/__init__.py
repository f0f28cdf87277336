"""The facts layer's assets and checks."""
