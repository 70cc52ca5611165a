"""The framework layer: rule files and manifests loaded, checked and compiled."""
