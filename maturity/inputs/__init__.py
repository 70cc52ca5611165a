"""The inputs layer: unit registries, submitted values, submissions and verification files."""
