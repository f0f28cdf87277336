"""The models layer's assets and checks."""
